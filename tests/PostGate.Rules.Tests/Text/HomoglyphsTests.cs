using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

public sealed class HomoglyphsTests
{
    [Theory]
    [InlineData("авсԁеһіјкӏмпорԛгѕтцѵԝхуз", "abcdehijklmnopqrstuvwxyz")] // Cyrillic
    [InlineData("αβϲδεηικμνορτυχγζω", "abcdehikmvoptuxyzw")]            // Greek
    [InlineData("ɑɡʀʏᴀʙᴄᴅᴇɢʜɪᴊᴋʟᴍɴᴏᴘꜱᴛᴜᴠᴡᴢ", "agryabcdeghijklmnopstuvwz")] // small capitals and other Latin look-alikes
    [InlineData("\u2019\u2018\u02BC\u201C\u201D", "'''\"\"")]            // typographic quotes
    [InlineData("abc-1", "abc-1")]                                         // plain text stays
    public void ToLatin_MapsEachLookAlike(string from, string expected)
    {
        Assert.Equal(expected, new string([.. from.Select(Homoglyphs.ToLatin)]));
    }

    [Theory]
    [InlineData('Ν', 'n')] // Greek capital Nu reads as N, though its small form ν reads as v
    [InlineData('Υ', 'y')]
    [InlineData('Β', 'Β')] // Beta folds through its small form
    [InlineData('N', 'N')]
    public void CapitalToLatin_MapsCapitalsThatDifferFromTheirSmallForm(char c, char expected)
    {
        Assert.Equal(expected, Homoglyphs.CapitalToLatin(c));
    }
}
