using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Engine;

public sealed class AnalysisTests
{
    [Theory]
    // X weighs a link as 23 and counts the rest one per Latin letter: "Hi " + link = 26 of 280.
    [InlineData(Channel.X, "Hi http://test.co", 26, 280, "weighted")]
    // Bluesky counts graphemes: the family emoji is one.
    [InlineData(Channel.Bluesky, "Hello 👨‍👩‍👧", 7, 300, "graphemes")]
    [InlineData(Channel.LinkedIn, "Hello", 5, 3000, "characters")]
    public void Analysis_Length_IsTheChannelsOwnMeasureAndLimit(Channel channel, string text, int length, int limit, string unit)
    {
        var draft = Drafts.Post(text) with { Channel = channel };

        var analysis = Gate.Check(Policies.Default, draft).Analysis;

        Assert.Equal(new ChannelLength(length, limit, unit), analysis.Length);
    }

    [Fact]
    public void Analysis_Length_IsAbsentForOtherChannels()
    {
        var draft = Drafts.Post("Hello") with { Channel = Channel.Other };

        Assert.Null(Gate.Check(Policies.Default, draft).Analysis.Length);
    }

    [Fact]
    public void Analysis_Links_DescribeEveryLinkAndHowTheRulesTreatedIt()
    {
        const string text = "Notes at https://help.acme.com/notes, short bit.ly/deal and www.example.org/a";
        var policy = Policies.Only("link-dropping/too-many-links", scope: """ "allowedDomains": ["acme.com"] """);
        var draft = Drafts.Post(text, links: ["HTTPS://HELP.ACME.COM/NOTES", "https://t.co/card"]);

        var analysis = Gate.Check(policy, draft).Analysis;

        Assert.Equal(
            [
                new LinkAnalysis("https://help.acme.com/notes", new TextSpan(9, 27), "help.acme.com", Shortener: false, Allowed: true),
                new LinkAnalysis("bit.ly/deal", new TextSpan(44, 11), "bit.ly", Shortener: true, Allowed: false),
                new LinkAnalysis("www.example.org/a", new TextSpan(60, 17), "www.example.org", Shortener: false, Allowed: false),
                // attached: the card the text repeats is left out; the others have no span
                new LinkAnalysis("https://t.co/card", null, "t.co", Shortener: true, Allowed: false),
            ],
            analysis.Links);
        Assert.Equal(3, analysis.CountedLinks);
    }

    [Fact]
    public void Analysis_CountedLinks_IsTheLinkCountTheRulesUse()
    {
        var policy = Policies.Only("link-dropping/too-many-links", """{ "maxLinks": 1 }""", """ "allowedDomains": ["acme.com"] """);
        var draft = Drafts.Post("Notes at acme.com/a, help.acme.com/b and example.org/c", links: ["https://example.org/d"]);

        var evaluation = Gate.Check(policy, draft);

        Assert.Equal(2, evaluation.Analysis.CountedLinks);
        Assert.Equal(2, evaluation.LinkCount);
        Assert.Equal("This post carries 2 links (\"example.org/c\" and \"https://example.org/d\"); the policy allows 1.", evaluation.Single("PG101").Message);
    }

    [Fact]
    public void Analysis_ShortenerFlag_FollowsThePolicysShortenerOptions()
    {
        var policy = Policies.Only("link-dropping/bare-link", scope: """ "channels": { "x": { "rules": { "link-dropping/shortener": { "allowed": ["bit.ly"], "domains": ["go.acme.com"] } } } } """);

        var links = Gate.Check(policy, Drafts.Post("See bit.ly/a and go.acme.com/b and www.t.co/c")).Analysis.Links;

        Assert.Equal([false, true, true], links.Select(l => l.Shortener));
    }

    public static TheoryData<string, int, int> Tags => new()
    {
        // text, mentions, hashtags
        { "Thanks @sam and @Jo_Lee! #spring #spring2026", 2, 2 },
        { "Write to sam@acme.com", 0, 0 },                              // an e-mail address is not a mention
        { "Issue #42 is fixed", 0, 0 },                                 // a number is not a hashtag
        { "@42 asked first", 1, 0 },                                     // a handle may be all digits
        { "Lone @ and # signs", 0, 0 },
        { "C# and F# are languages", 0, 0 },                             // a sign after a letter is part of the word
        { "(@sam) [#spring]", 1, 1 },
        { "See medium.com/@acme/notes and https://acme.com/#pricing", 0, 0 }, // signs inside links belong to the link
        { "", 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Tags))]
    public void Analysis_CountsMentionsAndHashtags(string text, int mentions, int hashtags)
    {
        var analysis = Gate.Check(Policies.Only("link-dropping/too-many-links"), Drafts.Post(text)).Analysis;

        Assert.Equal(mentions, analysis.Mentions);
        Assert.Equal(hashtags, analysis.Hashtags);
    }

    [Fact]
    public void Analysis_HardSell_HasTheScoreAndItsPartsByCategory()
    {
        var evaluation = Gate.Check(Policies.DefaultOnly("hard-sell/phrases"), Drafts.Post("BUY NOW!!! 50% off, limited time only: bit.ly/deal"));

        var hardSell = evaluation.Analysis.HardSell;
        Assert.Equal(10, hardSell.Score);
        Assert.Equal(new Dictionary<string, int> { ["call-to-action"] = 4, ["discount"] = 3, ["urgency"] = 3 }, hardSell.Parts);
        Assert.Equal(hardSell.Score, hardSell.Parts.Values.Sum());
        Assert.Equal(10, evaluation.HardSellScore);
    }

    [Fact]
    public void Analysis_HardSell_HasAnEmojiPartForHypeEmojiPastTheAllowance()
    {
        var hardSell = Gate.Check(Policies.DefaultOnly("hard-sell/phrases"), Drafts.Post("🔥🔥🔥 New colours are in 💰")).Analysis.HardSell;

        Assert.Equal(3, hardSell.Score);
        Assert.Equal(new Dictionary<string, int> { ["emoji"] = 3 }, hardSell.Parts);
    }

    [Fact]
    public void Analysis_HardSellPhrasesOff_IsEmpty()
    {
        var hardSell = Gate.Check(Policies.Only("link-dropping/too-many-links"), Drafts.Post("BUY NOW, limited time only")).Analysis.HardSell;

        Assert.Same(HardSellAnalysis.None, hardSell);
        Assert.Empty(hardSell.Parts);
    }

    [Fact]
    public void Analysis_IsFilledWhenNoRuleReportsAnything()
    {
        var evaluation = Gate.Check(Policies.Default, Drafts.Reply("Thanks @sam, the export button is back under Settings, and your files are safe."));

        Assert.Empty(evaluation.Findings);
        Assert.Equal(1, evaluation.Analysis.Mentions);
        Assert.Empty(evaluation.Analysis.Links);
        Assert.Equal(0, evaluation.Analysis.HardSell.Score);
    }
}
