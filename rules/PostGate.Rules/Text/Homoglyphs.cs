using System.Collections.Frozen;

namespace PostGate.Rules.Text;

/// <summary>Lower-case Cyrillic, Greek and small-capital letters that pass for Latin ones, mapped to the Latin letter they imitate.</summary>
internal static class Homoglyphs
{
    // Each character of a "From" string maps to the character at the same place in its "To" string.
    private const string CyrillicFrom = "авсԁеёһніїјкӏмпорԛгѕтцѵԝхуз";
    private const string CyrillicTo = "abcdeehhiijklmnopqrstuvwxyz";
    private const string GreekFrom = "αβϲδεηικμνορτυχγζω";
    private const string GreekTo = "abcdehikmvoptuxyzw";
    private const string LatinLookAlikesFrom = "ıȷɑɡʀʏᴀʙᴄᴅᴇɢʜɪᴊᴋʟᴍɴᴏᴘꜱᴛᴜᴠᴡᴢ";
    private const string LatinLookAlikesTo = "ijagryabcdeghijklmnopstuvwz";

    // Typographic apostrophes and quotes, so "don’t" meets "don't".
    private const string QuotesFrom = "\u2019\u2018\u02BC\u201C\u201D";
    private const string QuotesTo = "'''\"\"";

    // Capitals that pass for a different Latin letter than their small form: Greek Ν reads as N, but ν as v.
    private const string CapitalsFrom = "ΝΥ";
    private const string CapitalsTo = "ny";

    private static readonly FrozenDictionary<char, char> Map = Build(
        (CyrillicFrom, CyrillicTo), (GreekFrom, GreekTo), (LatinLookAlikesFrom, LatinLookAlikesTo), (QuotesFrom, QuotesTo));

    private static readonly FrozenDictionary<char, char> Capitals = Build((CapitalsFrom, CapitalsTo));

    public static char ToLatin(char c) => Map.TryGetValue(c, out var latin) ? latin : c;

    /// <summary>Maps a capital whose small form imitates another letter; runs before lower-casing.</summary>
    public static char CapitalToLatin(char c) => Capitals.TryGetValue(c, out var latin) ? latin : c;

    private static FrozenDictionary<char, char> Build(params (string From, string To)[] tables)
    {
        var map = new Dictionary<char, char>();
        foreach (var (from, to) in tables)
        {
            for (var i = 0; i < from.Length; i++)
            {
                map[from[i]] = to[i];
            }
        }

        return map.ToFrozenDictionary();
    }
}
