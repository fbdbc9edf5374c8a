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
}
