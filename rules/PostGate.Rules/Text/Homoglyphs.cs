using System.Collections.Frozen;

namespace PostGate.Rules.Text;

/// <summary>Lower-case Cyrillic and Greek letters that pass for Latin ones, mapped to the Latin letter they imitate.</summary>
internal static class Homoglyphs
{
    private static readonly FrozenDictionary<char, char> Map = new Dictionary<char, char>
    {
        // Cyrillic
        ['а'] = 'a', ['в'] = 'b', ['с'] = 'c', ['ԁ'] = 'd', ['е'] = 'e', ['ё'] = 'e', ['һ'] = 'h', ['н'] = 'h',
        ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['к'] = 'k', ['ӏ'] = 'l', ['м'] = 'm', ['п'] = 'n', ['о'] = 'o',
        ['р'] = 'p', ['ԛ'] = 'q', ['г'] = 'r', ['ѕ'] = 's', ['т'] = 't', ['ц'] = 'u', ['ѵ'] = 'v', ['ԝ'] = 'w',
        ['х'] = 'x', ['у'] = 'y', ['з'] = 'z',

        // Greek
        ['α'] = 'a', ['β'] = 'b', ['ϲ'] = 'c', ['δ'] = 'd', ['ε'] = 'e', ['η'] = 'h', ['ι'] = 'i', ['κ'] = 'k',
        ['μ'] = 'm', ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['γ'] = 'y',
        ['ζ'] = 'z', ['ω'] = 'w',

        // Typographic apostrophes and quotes, so "don’t" meets "don't"
        ['\u2019'] = '\'', ['\u2018'] = '\'', ['\u02bc'] = '\'', ['\u201c'] = '"', ['\u201d'] = '"',

        // Latin look-alikes outside ASCII that NFKC leaves alone
        ['ı'] = 'i', ['ȷ'] = 'j', ['ɑ'] = 'a', ['ɡ'] = 'g', ['ʀ'] = 'r', ['ʏ'] = 'y', ['ᴀ'] = 'a', ['ʙ'] = 'b',
        ['ᴄ'] = 'c', ['ᴅ'] = 'd', ['ᴇ'] = 'e', ['ɢ'] = 'g', ['ʜ'] = 'h', ['ɪ'] = 'i', ['ᴊ'] = 'j', ['ᴋ'] = 'k',
        ['ʟ'] = 'l', ['ᴍ'] = 'm', ['ɴ'] = 'n', ['ᴏ'] = 'o', ['ᴘ'] = 'p', ['ꜱ'] = 's', ['ᴛ'] = 't', ['ᴜ'] = 'u',
        ['ᴠ'] = 'v', ['ᴡ'] = 'w', ['ᴢ'] = 'z',
    }.ToFrozenDictionary();

    public static char ToLatin(char c) => Map.TryGetValue(c, out var latin) ? latin : c;
}
