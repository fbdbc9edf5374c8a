using PostGate.Rules.Engine;
using PostGate.Rules.Rules.Cadence;
using PostGate.Rules.Tests.TestSupport;
using Xunit;
using static PostGate.Rules.Tests.TestSupport.Timeline;

namespace PostGate.Rules.Tests.Rules.Cadence;

public sealed class DailyVolumeRuleTests
{
    private const string Rule = "cadence/daily-volume";
    private const string Text = "Spring notes are up.";

    [Fact]
    public void Evaluate_FifthAnnouncementIn24Hours_ReportsPG301()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(Text), Broadcasts(4, Hours(-8), Hours(2)));

        var finding = evaluation.Single("PG301");
        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Empty(finding.Spans);
        Assert.Equal(["5 posts in 24 hours"], finding.Evidence);
        Assert.Equal("This would be post 5 in 24 hours; the policy allows 4.", finding.Message);
        Assert.StartsWith("This would be the account's fifth post in 24 hours.", finding.Coaching, StringComparison.Ordinal);
    }

    public static TheoryData<Draft, TimelineEntry[], string, Severity?> Cases => new()
    {
        // draft, the account's other posts, options, severity (null: no finding)
        { Drafts.Post(Text), Broadcasts(3, Hours(-8), Hours(2)), "{}", null },                          // fourth post: at the limit
        { Drafts.Post(Text), Broadcasts(4, Hours(1), Hours(2)), "{}", Severity.Coach },                 // posts already scheduled later count too
        { Drafts.Post(Text), [.. Broadcasts(3, Hours(-8), Hours(2)), Reply(Hours(-1)), Reply(Hours(-3))], "{}", null }, // replies never crowd a feed
        { Drafts.Post(Text), [.. Broadcasts(3, Hours(-8), Hours(2)), Reply(Hours(-1))], """{ "countReplies": true }""", Severity.Coach },
        { Drafts.Reply(Text), Broadcasts(9, Hours(-9), Hours(1)), "{}", null },                         // answering a customer is never too much
        { Drafts.Reply(Text), Broadcasts(4, Hours(-8), Hours(2)), """{ "countReplies": true }""", Severity.Coach },
        { Drafts.Post(Text), Broadcasts(4, Hours(-30), Hours(2)), "{}", null },                         // all more than a day ago
        { Drafts.Post(Text), [Broadcast(Hours(-24)), .. Broadcasts(3, Hours(-8), Hours(2))], "{}", null }, // exactly 24 hours ago is another day
        { Drafts.Post(Text), [.. Broadcasts(2, Hours(-20), Hours(1)), .. Broadcasts(2, Hours(19), Hours(1))], "{}", null }, // 5 within ±24h, never 5 within one 24h
        { Drafts.Post(Text), Broadcasts(7, Hours(-14), Hours(2)), "{}", Severity.Coach },               // eighth post: at reviewAbove
        { Drafts.Post(Text), Broadcasts(8, Hours(-16), Hours(2)), "{}", Severity.Review },              // ninth post: above reviewAbove
        { Drafts.Post(Text), Broadcasts(8, Hours(-16), Hours(2)), """{ "severity": "block" }""", Severity.Block },
        { Drafts.Post(Text), Broadcasts(2, Hours(-8), Hours(2)), """{ "maxPosts": 2 }""", Severity.Coach },
        { Drafts.Post(Text), Broadcasts(8, Hours(-16), Hours(2)), """{ "severity": "off" }""", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_CountsAnnouncementsInTheBusiest24Hours(Draft draft, TimelineEntry[] timeline, string options, Severity? expected)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), draft, timeline);

        Assert.Equal(expected, evaluation.Findings.SingleOrDefault(f => f.RuleId == "PG301")?.Severity);
    }

    [Fact]
    public void Evaluate_EarlierVersionOfThisDraft_IsNotCounted()
    {
        var draft = Drafts.Post(Text, draftId: "draft-3");
        TimelineEntry[] timeline = [.. Broadcasts(3, Hours(-8), Hours(2)), Broadcast(TimeSpan.Zero, draftId: "draft-3")];

        Assert.Empty(Gate.Check(Policies.Only(Rule), draft, timeline).Findings);
    }

    [Theory]
    [InlineData(1, "first")]
    [InlineData(5, "fifth")]
    [InlineData(10, "tenth")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(13, "13th")]
    [InlineData(21, "21st")]
    [InlineData(22, "22nd")]
    [InlineData(23, "23rd")]
    [InlineData(111, "111th")]
    public void Ordinal_SpellsOutSmallNumbers(int n, string expected)
    {
        Assert.Equal(expected, DailyVolumeRule.Ordinal(n));
    }

    [Theory]
    [InlineData("""{ "maxPosts": 0 }""", "maxPosts: must be between 1 and 200 (was 0)")]
    [InlineData("""{ "maxPosts": 5, "reviewAbove": 4 }""", "reviewAbove: must be between 5 and 500 (was 4)")]
    [InlineData("""{ "countReplies": "yes" }""", "countReplies: has the wrong type or an unknown value")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }
}
