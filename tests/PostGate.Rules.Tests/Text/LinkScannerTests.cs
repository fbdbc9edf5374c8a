using CsCheck;
using PostGate.Rules.Engine;
using PostGate.Rules.Text;
using Xunit;

namespace PostGate.Rules.Tests.Text;

public sealed class LinkScannerTests
{
    public static TheoryData<string, string[], int[]> Links => new()
    {
        // text, the links a reader sees, where each starts
        { "Read https://acme.com/post today", ["https://acme.com/post"], [5] },
        { "Read http://acme.com", ["http://acme.com"], [5] },
        { "See www.acme.com/path?x=1 for more", ["www.acme.com/path?x=1"], [4] },
        { "Deal: bit.ly/deal", ["bit.ly/deal"], [6] },
        { "Our new store is acme.shop", ["acme.shop"], [17] },
        { "Visit ACME.COM today", ["ACME.COM"], [6] },
        { "Two: https://acme.com/a and acme.io/b", ["https://acme.com/a", "acme.io/b"], [5, 28] },
        { "Ends with a dot: https://acme.com/a.", ["https://acme.com/a"], [17] },
        { "Then a comma https://acme.com/a, and more", ["https://acme.com/a"], [13] },
        { "Shouted https://acme.com/a!!!", ["https://acme.com/a"], [8] },
        { "Quoted \"acme.com/a\"", ["acme.com/a"], [8] },
        { "(see https://acme.com/a)", ["https://acme.com/a"], [5] },                                           // the closing bracket belongs to the text
        { "(https://en.wikipedia.org/wiki/Foo_(bar))", ["https://en.wikipedia.org/wiki/Foo_(bar)"], [1] },  // a balanced bracket belongs to the link
        { "Ports https://acme.com:8443/x work", ["https://acme.com:8443/x"], [6] },
        { "https://acme.com/We_Up_(Album_Version_(Edited))", ["https://acme.com/We_Up_(Album_Version_(Edited))"], [0] }, // one nested level
        { "See https://acme.com/ab:(x) now", ["https://acme.com/ab"], [4] },                                  // a group after ':' is not the path's end
        { "twitter.comこれは日本語です。example.com", ["twitter.com", "example.com"], [0, 20] },                 // only ASCII domains, without a scheme
        { "Note http://t.co/abc- and t.co/xyz", ["http://t.co/abc", "t.co/xyz"], [5, 26] },                   // a t.co link ends with its slug
        { "Mail sam@acme.com for help", [], [] },                                                              // an e-mail domain is not a link
        { "Mail first.last@acme.com", [], [] },
        { "Tools, e.g. a hammer, i.e. this", [], [] },
        { "Version 2.0 of notes.txt", [], [] },                                                                // "txt" is not a top-level domain
        { "No links at all.", [], [] },
        { "", [], [] },
    };

    [Theory]
    [MemberData(nameof(Links))]
    public void Scan_FindsLinksAsReadersSeeThem(string text, string[] expected, int[] starts)
    {
        var links = LinkScanner.Scan(text);

        Assert.Equal(expected, links.Select(l => l.Text));
        Assert.Equal(starts, links.Select(l => l.Span.Start));
        Assert.All(links, l => Assert.Equal(l.Text, text.Substring(l.Span.Start, l.Span.Length)));
    }

    public static TheoryData<string, string[], string[], bool[]> Obfuscated => new()
    {
        // text, the links as written, the hosts they stand for, whether each has a scheme
        { "Deals at example[.]com today", ["example[.]com"], ["example.com"], [false] },
        { "Deals at example(.)com today", ["example(.)com"], ["example.com"], [false] },
        { "Deals at example {.} co.uk", ["example {.} co.uk"], ["example.co.uk"], [false] },
        { "Deals at example [dot] com", ["example [dot] com"], ["example.com"], [false] },
        { "Deals at Example(DOT)Com/spring!", ["Example(DOT)Com/spring"], ["example.com"], [false] },
        { "See example dot com/spring for more", ["example dot com/spring"], ["example.com"], [false] },
        { "See hxxps://example.com/spring", ["hxxps://example.com/spring"], ["example.com"], [true] },
        { "See https://example[.]com/a", ["https://example[.]com/a"], ["example.com"], [true] },
        { "At www[.]example.com now", ["www[.]example.com"], ["www.example.com"], [false] },     // stands instead of the plain "example.com" in it
        { "acme.com and shop[.]acme.io", ["acme.com", "shop[.]acme.io"], ["acme.com", "shop.acme.io"], [false, false] },
        { "I miss the dot com era", [], [], [] },                                                 // a bare " dot " needs a path
        { "Files: notes[.]txt", [], [], [] },                                                     // "txt" is not a TLD
        { "Mail sam@example[.]com", [], [], [] },                                                 // an e-mail address
        { "A polka dot dress", [], [], [] },
    };

    [Theory]
    [MemberData(nameof(Obfuscated))]
    public void Scan_FindsLinksWrittenToSlipPastScanners(string text, string[] expected, string[] hosts, bool[] schemes)
    {
        var links = LinkScanner.Scan(text);

        Assert.Equal(expected, links.Select(l => l.Text));
        Assert.Equal(hosts, links.Select(l => l.Host));
        Assert.Equal(schemes, links.Select(l => l.HasScheme));
        Assert.All(links, l => Assert.Equal(l.Text, text.Substring(l.Span.Start, l.Span.Length)));
        Assert.All(links, l => Assert.Equal(l.Text.Contains('[') || l.Text.Contains('(') || l.Text.Contains('{') || l.Text.Contains(" dot ") || l.Text.StartsWith("hxxp"), l.Obfuscated));
    }

    [Fact]
    public void Scan_PlainLink_IsNotObfuscated()
    {
        Assert.False(Assert.Single(LinkScanner.Scan("Read https://acme.com/post")).Obfuscated);
    }

    [Theory]
    [InlineData("https://acme.com/a", "acme.com", "acme.com", true)]
    [InlineData("https://www.acme.com/a", "www.acme.com", "acme.com", true)]
    [InlineData("WWW.Acme.COM", "www.acme.com", "acme.com", false)]
    [InlineData("x.bit.ly/abc", "x.bit.ly", "x.bit.ly", false)]
    [InlineData("https://acme.com:8443/x", "acme.com", "acme.com", true)]
    public void Scan_ReadsHostAndDomainInLowerCase(string text, string host, string domain, bool hasScheme)
    {
        var link = Assert.Single(LinkScanner.Scan(text));

        Assert.Equal(host, link.Host);
        Assert.Equal(domain, link.Domain);
        Assert.Equal(hasScheme, link.HasScheme);
    }

    [Fact]
    public void Scan_SpanIsInOriginalUtf16Units()
    {
        var links = LinkScanner.Scan("😀 acme.com/a");

        Assert.Equal(new TextSpan(3, 10), Assert.Single(links).Span);
    }

    public static TheoryData<string, bool> Shorteners => new()
    {
        { "bit.ly", true },
        { "t.co", true },
        { "amzn.to", true },
        { "go.bit.ly", true },       // a subdomain of a shortener is a shortener
        { "a.b.bit.ly", true },
        { "acme.com", false },
        { "notbit.ly", false },      // only whole labels count
        { "ly", false },
        { "bit.ly.acme.com", false },
    };

    [Theory]
    [MemberData(nameof(Shorteners))]
    public void IsShortener_BuiltInList_MatchesDomainAndSubdomains(string host, bool expected)
    {
        Assert.Equal(expected, LinkScanner.IsShortener(host, LinkScanner.BuiltInShorteners));
    }

    [Fact]
    public void IsShortener_CustomList_UsesOnlyThatList()
    {
        var custom = new HashSet<string>(StringComparer.Ordinal) { "go.acme.com" };

        Assert.True(LinkScanner.IsShortener("go.acme.com", custom));
        Assert.False(LinkScanner.IsShortener("bit.ly", custom));
    }

    [Fact]
    public void BuiltInShorteners_HoldsTheBundledListInLowerCase()
    {
        Assert.InRange(LinkScanner.BuiltInShorteners.Count, 200, 250);
        Assert.All(LinkScanner.BuiltInShorteners, d => Assert.Equal(d.ToLowerInvariant(), d));
    }

    [Theory]
    [InlineData("https://bit.ly/x", "bit.ly")]
    [InlineData("www.acme.com", "www.acme.com")]
    [InlineData("acme.shop/deal", "acme.shop")]
    [InlineData("not a link", null)]
    [InlineData("acme.com and acme.io", null)] // two links are not one link card
    public void HostOf_ReadsTheHostOfOneLink(string link, string? expected)
    {
        Assert.Equal(expected, LinkScanner.HostOf(link));
    }

    [Theory]
    [InlineData("Spring is here. Read acme.com/spring. Then tell us.", "acme.com/spring")]
    [InlineData("Go to acme.com.", "acme.com")]
    [InlineData("The end.\nnext.com has more", "next.com")]
    [InlineData("Wait... acme.io, then ok.", "acme.io")]
    [InlineData("It's out.acme.com is live", "out.acme.com")]
    [InlineData("Nothing here. Or here.", null)]
    public void Scan_DotsThatEndSentences_AreNoPartOfALink(string text, string? expected)
    {
        Assert.Equal(expected is null ? [] : [expected], LinkScanner.Scan(text).Select(l => l.Text));
    }

    [Fact]
    public void Links_written_again_share_strings_and_match_a_scan_that_shares_none()
    {
        string[] pieces =
        [
            "https://acme.com/a", "https://ACME.com/a", "acme.com/a", "www.Acme.com/a?utm_source=x", "bit.ly/deal",
            "HTTPS://İSTANBUL.com.tr/x", "acme.com", "(acme.com/a)", "acme[.]com", "a@acme.com", " ", " and ", ", ", "\n",
        ];
        Gen.Int[0, pieces.Length - 1].Array[1, 30].Select(picks => string.Concat(picks.Select(p => pieces[p]))).Sample(text =>
        {
            var shared = LinkScanner.Scan(text);
            var reference = LinkScanner.Scan(text, reuseStrings: false);
            Assert.Equal(reference, shared);
            Assert.All(shared, link => Assert.Equal(text.Substring(link.Span.Start, link.Span.Length), link.Text));
        }, iter: 3000);
    }

    [Fact]
    public void A_link_written_twice_makes_its_strings_once()
    {
        var links = LinkScanner.Scan("Read https://Acme.com/a then https://Acme.com/a again");
        Assert.Equal(2, links.Count);
        Assert.Same(links[0].Text, links[1].Text);
        Assert.Same(links[0].Host, links[1].Host);
        Assert.Equal("acme.com", links[1].Host);
    }
}
