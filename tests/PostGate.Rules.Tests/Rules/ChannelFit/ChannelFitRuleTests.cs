using PostGate.Rules.Engine;
using PostGate.Rules.Rules.ChannelFit;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Rules.ChannelFit;

public sealed class ChannelFitRuleTests
{
    private const string Rule = "channel-fit/too-long";

    [Fact]
    public void Evaluate_AnnouncementOverXLimit_ReportsPG401FromTheFirstWordPastIt()
    {
        var text = new string('a', 270) + " and that is why we wrote the guide.";

        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(text));

        var finding = evaluation.Single("PG401");
        Assert.Equal(Severity.Block, finding.Severity);
        Assert.Equal(Verdict.Block, evaluation.Verdict);
        Assert.Equal([280], finding.Starts());
        Assert.Equal(["is why we wrote the guide."], finding.Quotes(text));
        Assert.Equal(["306/280 weighted"], finding.Evidence);
        Assert.Equal("This post is 306 characters as X counts them; X takes 280.", finding.Message);
        Assert.Equal(
            "X refuses posts this long: from \"is why we wrote…\" on, it is 26 characters too many. " + ChannelFitRule.CutAdvice,
            finding.Coaching);
        Assert.Equal("Shorten the post to fit the channel", finding.Action);
    }

    [Fact]
    public void Evaluate_ReplyOverXLimit_SuggestsASecondReplyInsteadOfCutting()
    {
        var text = new string('a', 275) + " the rest of the answer";

        var finding = Gate.Check(Policies.Only(Rule), Drafts.Reply(text)).Single("PG401");

        Assert.EndsWith(ChannelFitRule.SplitAdvice, finding.Coaching, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_LinkAcrossTheLimit_SpanStartsAtTheLink()
    {
        // The link counts 23 wherever it is cut, so the whole link is past the limit.
        var text = new string('a', 270) + " https://acme.com/spring-guide";

        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post(text)).Single("PG401");

        Assert.Equal(["https://acme.com/spring-guide"], finding.Quotes(text));
        Assert.Equal(["294/280 weighted"], finding.Evidence);
    }

    public static TheoryData<Channel, string, string, string?> Cases => new()
    {
        // channel, text, options, expected evidence (null: no finding)
        { Channel.X, new string('x', 280), "{}", null },                                          // exactly at the limit
        { Channel.X, new string('x', 281), "{}", "281/280 weighted" },
        { Channel.X, new string('中', 140), "{}", null },                                         // CJK weighs 2
        { Channel.X, new string('中', 141), "{}", "282/280 weighted" },
        { Channel.X, Repeat("👨‍👩‍👧‍👦", 140), "{}", null },                                     // an emoji sequence weighs 2, whatever its length
        { Channel.X, Repeat("A\u0301", 280), "{}", null },                                        // NFC first: A + combining acute is one character
        { Channel.X, new string('a', 250) + " https://acme.com/" + new string('p', 300), "{}", null }, // a link counts 23
        { Channel.X, new string('x', 150), """{ "limits": { "x": 140 } }""", "150/140 weighted" },
        { Channel.X, new string('x', 500), """{ "limits": { "x": 0 } }""", null },                // 0 switches the channel off
        { Channel.X, new string('x', 500), """{ "severity": "off" }""", null },
        { Channel.X, new string('x', 281), """{ "limits": { "linkedin": 100 } }""", "281/280 weighted" }, // other channels keep their defaults
        { Channel.LinkedIn, new string('x', 3_000), "{}", null },
        { Channel.LinkedIn, new string('x', 3_001), "{}", "3001/3000 characters" },
        { Channel.LinkedIn, new string('x', 281), "{}", null },                                   // X's limit is X's alone
        { Channel.Facebook, new string('x', 63_206), "{}", null },
        { Channel.Facebook, new string('x', 63_207), "{}", "63207/63206 characters" },
        { Channel.Instagram, new string('x', 2_200), "{}", null },
        { Channel.Instagram, new string('x', 2_201), "{}", "2201/2200 characters" },
        { Channel.Threads, new string('x', 500), "{}", null },
        { Channel.Threads, Repeat("😀", 251), "{}", "502/500 characters" },                       // UTF-16: an emoji outside the BMP counts 2
        { Channel.Bluesky, Repeat("👍🏽", 300), "{}", null },                                      // graphemes: 1,200 UTF-16 units, 300 graphemes
        { Channel.Bluesky, Repeat("👍🏽", 301), "{}", "301/300 graphemes" },
        { Channel.Mastodon, new string('a', 470) + " https://acme.com/" + new string('p', 100), "{}", null }, // 470 + 1 + 23
        { Channel.Mastodon, new string('a', 480) + " @sam@social.acme.example", "{}", null },     // a remote mention counts as "@sam"
        { Channel.Mastodon, new string('a', 501), "{}", "501/500 characters" },
        { Channel.Other, new string('x', 100_000), "{}", null },                                  // no limit by default
        { Channel.Other, new string('x', 101), """{ "limits": { "other": 100 } }""", "101/100 characters" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_MeasuresEachChannelItsOwnWay(Channel channel, string text, string options, string? evidence)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(text) with { Channel = channel });

        Assert.Equal(evidence, evaluation.Findings.SingleOrDefault(f => f.RuleId == "PG401")?.Evidence.Single());
    }

    [Fact]
    public void Evaluate_SpanCoversEverythingPastTheLimit()
    {
        var text = new string('x', 3_010);

        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post(text) with { Channel = Channel.LinkedIn }).Single("PG401");

        Assert.Equal(new TextSpan(3_000, 10), Assert.Single(finding.Spans));
    }

    [Fact]
    public void Evaluate_SeverityOverride_IsUsed()
    {
        var evaluation = Gate.Check(Policies.Only(Rule, """{ "severity": "coach" }"""), Drafts.Post(new string('x', 300)));

        Assert.Equal(Severity.Coach, evaluation.Single("PG401").Severity);
        Assert.Equal(Verdict.Coach, evaluation.Verdict);
    }

    [Fact]
    public void Evaluate_DefaultPolicy_BlocksAPostTooLongForX()
    {
        var evaluation = Gate.Check(Policies.DefaultOnly(Rule), Drafts.Post("Our spring guide is out. " + new string('x', 300)));

        Assert.Equal(Verdict.Block, evaluation.Verdict);
        Assert.Equal(["Shorten the post to fit the channel"], evaluation.Summary);
    }

    [Theory]
    [InlineData("""{ "limits": { "x": -1 } }""", "$.rules['channel-fit/too-long'].limits.x: must be between 0 and 100000 (was -1)")]
    [InlineData("""{ "limits": { "bluesky": 100001 } }""", "$.rules['channel-fit/too-long'].limits.bluesky: must be between 0 and 100000 (was 100001)")]
    [InlineData("""{ "limits": { "myspace": 10 } }""", "$.rules['channel-fit/too-long'].limits.myspace: unknown option 'myspace'")]
    [InlineData("""{ "limits": { "x": "280" } }""", "$.rules['channel-fit/too-long'].limits.x: has the wrong type or an unknown value")]
    public void Load_BadLimits_NameThePath(string options, string error)
    {
        Assert.Contains(error, Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    [Theory]
    [InlineData("a b c d e f g", 8, "\"e f g\"")]
    [InlineData("a b c d e f g", 4, "\"c d e f…\"")]                        // four words at most
    [InlineData("one two three", 5, "\"two three\"")]                       // from the start of the word the limit falls in
    [InlineData("first line\nsecond line", 6, "\"line…\"")]                  // a quote stays on one line
    public void Quote_ShowsTheFirstWordsPastTheLimit(string text, int overflowAt, string expected)
    {
        Assert.Equal(expected, ChannelFitRule.Quote(text, overflowAt));
    }

    private static string Repeat(string unit, int count) => string.Concat(Enumerable.Repeat(unit, count));
}
