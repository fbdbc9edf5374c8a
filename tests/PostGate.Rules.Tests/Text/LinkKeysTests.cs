using CsCheck;
using PostGate.Rules.Tests.TestSupport;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

public sealed class LinkKeysTests
{
    public static TheoryData<string, string> Keys => new()
    {
        // link, key
        { "https://acme.com/spring", "acme.com/spring" },
        { "HTTPS://WWW.Acme.COM/Spring/", "acme.com/spring" },                 // scheme, www, case and trailing slash aside
        { "acme.com/spring?utm_source=x&utm_medium=y", "acme.com/spring" },   // no query
        { "acme.com/spring#sizes", "acme.com/spring" },                        // no fragment
        { "acme.com/spring/#sizes?x=1", "acme.com/spring" },
        { "http://acme.com", "acme.com" },
        { "acme.com/", "acme.com" },
        { "acme.com//", "acme.com" },
        { "  acme.com/spring  ", "acme.com/spring" },
        { "www.acme.com", "acme.com" },
        { "wwwacme.com/a", "wwwacme.com/a" },                                   // only "www." is dropped
        { "help.acme.com/export", "help.acme.com/export" },                    // other subdomains are another site
        { "acme.com:8080/a", "acme.com:8080/a" },
        { "ftp://files.acme.com/notes.pdf", "files.acme.com/notes.pdf" },
        { "acme.com/go?to=https://shop.example.com/p", "acme.com/go" },       // a "://" in the query is not the scheme
        { "https://acme.com/go?to=https://shop.example.com/p", "acme.com/go" },
        { "acme.com/go/https://shop.example.com/p", "acme.com/go/https://shop.example.com/p" }, // nor is one in the path
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Of_KeepsHostAndPath(string link, string key)
    {
        Assert.Equal(key, LinkKeys.Of(link));
    }

    [Fact]
    public void Of_LongPath_IsCutAtMaxLength()
    {
        var link = "https://acme.com/" + new string('a', 400) + "?utm_source=x";

        var key = LinkKeys.Of(link);

        Assert.Equal(LinkKeys.MaxLength, key.Length);
        Assert.Equal("acme.com/" + new string('a', LinkKeys.MaxLength - 9), key);
    }

    [Fact]
    public void Of_SameDestinationWrittenTwoWays_IsOneKey()
    {
        Assert.Equal(LinkKeys.Of("https://www.acme.com/spring?utm_source=x"), LinkKeys.Of("acme.com/spring"));
    }

    [Fact]
    public void Of_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => LinkKeys.Of(null!));
    }

    [Fact]
    public void Of_AndWrite_MakeTheKeysOfACutAndLowerCasedCopyOfTheLink()
    {
        // NOTE: case, "www.", schemes, queries, fragments, trailing slashes and spaces in every mix; long paths put the
        // cut at 256 characters next to a "www.", a surrogate pair or a letter whose lower case is another length in UTF-8.
        var part = Gen.Frequency(
            (6, Gen.OneOf("acme", "ACME", "Acme", ".com", ".COM", "/", "//", "spring", "Spring", "www.", "WWW.", "Www.", "-", "_", ":8080")),
            (3, Gen.OneOf("?", "#", "?utm_source=x", "#Top", "&", "=", "://", "https://", "HTTP://", "ftp://")),
            (2, Gen.OneOf(" ", "\t", "\u00A0", "İ", "K", "ẞ", "𐐀", "🌱", "\uD801", "é")),
            (1, Gen.Char.Select(c => c.ToString())),
            (1, Gen.Int[200, 300].Select(n => new string('A', n))));
        part.Array[0, 16].Select(parts => string.Concat(parts)).Sample(link =>
        {
            var expected = ReferenceLinkKeys.Of(link);
            Assert.Equal(expected, LinkKeys.Of(link));
            Assert.Equal(expected, LinkKeys.Write(link, new char[LinkKeys.BufferLength]).ToString());
        }, iter: 20000);
    }

    [Theory]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    public void Of_SurrogatePairAtTheCut_IsLowerCasedAsInTheWholeLink(int before)
    {
        // NOTE: U+10400 DESERET CAPITAL LONG I lower-cases to U+10428; the pairs fall just before, on and after the cut.
        var link = "https://www." + new string('a', before) + "\U00010400\U00010400/x";

        Assert.Equal(ReferenceLinkKeys.Of(link), LinkKeys.Of(link));
    }
}
