using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

public sealed class NfcTests
{
    public static TheoryData<string, string> Forms => new()
    {
        // text, its NFC
        { "A\u0301B", "\u00C1B" },
        { "\uFB2C", "\u05E9\u05BC\u05C1" },                     // a composition exclusion stays decomposed
        { "\u212B", "\u00C5" },                                 // a singleton (ANGSTROM SIGN) becomes the letter
        { "a\u0301\u0328", "\u0105\u0301" },                    // marks are reordered by combining class, then composed
        { "\u1100\u1161\u11A8", "\uAC01" },                     // Hangul jamo compose by arithmetic
        { "\uAC00\u11A8", "\uAC01" },
        { "\u0958", "\u0915\u093C" },
        { "e\u0301\u0301", "\u00E9\u0301" },                    // the second mark is blocked by the first
        { "\U0001D15E", "\U0001D157\U0001D165" },               // outside the BMP
        { "\u0301a", "\u0301a" },                               // a leading mark stays
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Normalize_GivesNfc(string text, string expected)
    {
        Assert.Equal(expected, Nfc.Normalize(text));
    }

    [Theory]
    [InlineData("plain ASCII")]
    [InlineData("café, 日本語, 👨‍👩‍👧‍👦")]
    public void Normalize_TextAlreadyInNfc_ReturnsTheSameInstance(string text)
    {
        Assert.Same(text, Nfc.Normalize(text));
    }
}
