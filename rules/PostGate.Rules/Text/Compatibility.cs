using System.Collections.Frozen;
using System.Text;

namespace PostGate.Rules.Text;

/// <summary>
/// Folds the compatibility forms people use to slip past filters to plain letters and digits: fullwidth forms,
/// the mathematical alphanumerics ("𝐁𝐔𝐘"), letterlike symbols, circled and squared letters, and Latin letters
/// with diacritics ("frée").
/// </summary>
// NOTE: string.Normalize needs ICU data, and the apps run with InvariantGlobalization, where Normalize returns its
// input unchanged. These tables do in code what NFKC and NFD would do for the letters and digits a phrase is made of.
internal static class Compatibility
{
    // Letterlike symbols (most stand in the gaps of the mathematical alphabets), each folded as NFKC folds it.
    private const string LetterlikeFrom = "ℂℊℋℌℍℎℐℑℒℓℕℙℚℛℜℝℤℬℭℯℰℱℳℴℹ";
    private const string LetterlikeTo = "cghhhhiillnpqrrrzbceefmoi";

    // Small Latin letters with diacritics (Latin-1 Supplement, Extended-A and Extended-B), each mapped to the
    // letter NFD starts with, then letters with a stroke, which NFD leaves whole but a reader takes for the plain letter.
    private const string MarkedFrom =
        "àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżž"
        + "ơưǎǐǒǔǖǘǚǜǟǡǧǩǫǭǰǵǹǻȁȃȅȇȉȋȍȏȑȓȕȗșțȟȧȩȫȭȯȱȳ" + "øđħłŀſŧİ";

    private const string MarkedTo =
        "aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzz"
        + "ouaiouuuuuaagkoojgnaaaeeiioorruusthaeooooy" + "odhllsti";

    private static readonly FrozenDictionary<char, char> Letterlike = Build(LetterlikeFrom, LetterlikeTo);

    private static readonly FrozenDictionary<char, char> Marked = Build(MarkedFrom, MarkedTo);

    /// <summary>The ASCII character a compatibility form stands for ("Ｂ", "𝐁", "ℬ", "Ⓑ" → 'B' or 'b'), or '\0' when it is none.</summary>
    public static char ToAscii(Rune rune)
    {
        var value = rune.Value;
        return value switch
        {
            >= 0xFF01 and <= 0xFF5E => (char)(value - 0xFEE0), // fullwidth ASCII
            >= 0x1D400 and <= 0x1D6A3 => Letter((value - 0x1D400) % 52), // thirteen styles of A-Z a-z
            0x1D6A4 => 'i',
            0x1D6A5 => 'j',
            >= 0x1D7CE and <= 0x1D7FF => (char)('0' + ((value - 0x1D7CE) % 10)), // five styles of 0-9
            >= 0x24B6 and <= 0x24CF => (char)('A' + (value - 0x24B6)), // circled capitals
            >= 0x24D0 and <= 0x24E9 => (char)('a' + (value - 0x24D0)), // circled small letters
            >= 0x1F130 and <= 0x1F149 => (char)('A' + (value - 0x1F130)), // squared capitals
            >= 0x1F150 and <= 0x1F169 => (char)('A' + (value - 0x1F150)), // negative circled capitals
            >= 0x1F170 and <= 0x1F189 => (char)('A' + (value - 0x1F170)), // negative squared capitals
            _ when rune.IsBmp && Letterlike.TryGetValue((char)value, out var letter) => letter,
            _ => '\0',
        };
    }

    /// <summary>The letter without its diacritic ('é' → 'e'), or <paramref name="c"/> when it has none.</summary>
    public static char WithoutMark(char c) => Marked.TryGetValue(c, out var plain) ? plain : c;

    private static char Letter(int index) => index < 26 ? (char)('A' + index) : (char)('a' + index - 26);

    private static FrozenDictionary<char, char> Build(string from, string to)
    {
        var map = new Dictionary<char, char>(from.Length);
        for (var i = 0; i < from.Length; i++)
        {
            map[from[i]] = to[i];
        }

        return map.ToFrozenDictionary();
    }
}
