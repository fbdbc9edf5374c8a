using System.Text;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

public sealed class CompatibilityTests
{
    public static TheoryData<int, char> Forms => new()
    {
        // code point, the ASCII character it stands for ('\0': none)
        { 0xFF22, 'B' },    // fullwidth B
        { 0xFF4E, 'n' },    // fullwidth n
        { 0xFF01, '!' },    // fullwidth exclamation mark
        { 0xFF10, '0' },    // fullwidth zero
        { 0x1D401, 'B' },   // mathematical bold capital B
        { 0x1D41B, 'b' },   // mathematical bold small b
        { 0x1D5D5, 'B' },   // sans-serif bold capital B
        { 0x1D6A3, 'z' },   // monospace small z, the last of the letters
        { 0x1D6A4, 'i' },   // dotless i
        { 0x1D7CE, '0' },   // bold digit zero
        { 0x1D7FF, '9' },   // monospace digit nine
        { 0x212C, 'b' },    // script capital B
        { 0x2115, 'n' },    // double-struck capital N
        { 0x24B7, 'B' },    // circled capital B
        { 0x24D1, 'b' },    // circled small b
        { 0x1F131, 'B' },   // squared capital B
        { 0x1F151, 'B' },   // negative circled capital B
        { 0x1F171, 'B' },   // negative squared capital B
        { 'é', '\0' },      // a marked letter is not a compatibility form
        { 0x1F600, '\0' },  // an emoji
        { 0x3000, '\0' },   // the ideographic space is whitespace, handled as such
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void ToAscii_FoldsCompatibilityForms(int codePoint, char expected)
    {
        Assert.Equal(expected, Compatibility.ToAscii(new Rune(codePoint)));
    }

    [Theory]
    [InlineData('é', 'e')]
    [InlineData('ï', 'i')]
    [InlineData('ñ', 'n')]
    [InlineData('ç', 'c')]
    [InlineData('ž', 'z')]
    [InlineData('ø', 'o')]  // a stroke is not a diacritic to NFD, but readers see an o
    [InlineData('ł', 'l')]
    [InlineData('e', 'e')]
    [InlineData('ß', 'ß')]
    [InlineData('É', 'É')]  // capitals are lower-cased before
    public void WithoutMark_StripsDiacritics(char c, char expected)
    {
        Assert.Equal(expected, Compatibility.WithoutMark(c));
    }
}
