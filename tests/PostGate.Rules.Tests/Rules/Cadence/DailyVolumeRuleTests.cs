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

    /// <summary>Lifts the per-channel cap, for tests of the count across channels with every post on X.</summary>
    private const string AllChannels = """{ "maxPostsPerChannel": 200 }""";

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
        // NOTE: every post here is on X; the rows lift maxPostsPerChannel so they test the count across channels.
        { Drafts.Post(Text), Broadcasts(3, Hours(-8), Hours(2)), AllChannels, null },                          // fourth post: at the limit
        { Drafts.Post(Text), Broadcasts(4, Hours(1), Hours(2)), AllChannels, Severity.Coach },                 // posts already scheduled later count too
        { Drafts.Post(Text), [.. Broadcasts(3, Hours(-8), Hours(2)), Reply(Hours(-1)), Reply(Hours(-3))], AllChannels, null }, // replies never crowd a feed
        { Drafts.Post(Text), [.. Broadcasts(3, Hours(-8), Hours(2)), Reply(Hours(-1))], """{ "maxPostsPerChannel": 200, "countReplies": true }""", Severity.Coach },
        { Drafts.Reply(Text), Broadcasts(9, Hours(-9), Hours(1)), "{}", null },                                // answering a customer is never too much
        { Drafts.Reply(Text), Broadcasts(4, Hours(-8), Hours(2)), """{ "maxPostsPerChannel": 200, "countReplies": true }""", Severity.Coach },
        { Drafts.Post(Text), Broadcasts(4, Hours(-30), Hours(2)), "{}", null },                                // all more than a day ago
        { Drafts.Post(Text), [Broadcast(Hours(-24)), .. Broadcasts(3, Hours(-8), Hours(2))], AllChannels, null }, // exactly 24 hours ago is another day
        { Drafts.Post(Text), [.. Broadcasts(2, Hours(-20), Hours(1)), .. Broadcasts(2, Hours(19), Hours(1))], AllChannels, null }, // 5 within ±24h, never 5 within one 24h
        { Drafts.Post(Text), Broadcasts(7, Hours(-14), Hours(2)), AllChannels, Severity.Coach },               // eighth post: at reviewAbove
        { Drafts.Post(Text), Broadcasts(8, Hours(-16), Hours(2)), AllChannels, Severity.Review },              // ninth post: above reviewAbove
        { Drafts.Post(Text), Broadcasts(8, Hours(-16), Hours(2)), """{ "maxPostsPerChannel": 200, "severity": "block" }""", Severity.Block },
        { Drafts.Post(Text), Broadcasts(2, Hours(-8), Hours(2)), """{ "maxPostsPerChannel": 200, "maxPosts": 2 }""", Severity.Coach },
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
    public void Evaluate_FourthAnnouncementOnOneChannel_ReportsPG301ForThatChannel()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(Text), Broadcasts(3, Hours(-8), Hours(2)));

        var finding = evaluation.Single("PG301");
        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["4 posts on x in 24 hours"], finding.Evidence);
        Assert.Equal("This would be post 4 on x in 24 hours; the policy allows 3.", finding.Message);
        Assert.StartsWith("This would be the account's fourth post on x in 24 hours.", finding.Coaching, StringComparison.Ordinal);
    }

    public static TheoryData<TimelineEntry[], string, string[]> PerChannel => new()
    {
        // the account's other posts (the draft goes to X), options, evidence (empty: no finding)
        { [.. Broadcasts(2, Hours(-8), Hours(2)), On(Channel.LinkedIn, Hours(-1))], "{}", [] },                  // third on X, fourth in all: both at their limit
        { [.. Broadcasts(3, Hours(-8), Hours(2)), On(Channel.LinkedIn, Hours(-1))], "{}", ["5 posts in 24 hours"] }, // over both: the account-wide count is the one shown
        { [.. Broadcasts(3, Hours(-8), Hours(2))], "{}", ["4 posts on x in 24 hours"] },
        { [On(Channel.LinkedIn, Hours(-3)), On(Channel.LinkedIn, Hours(-2)), On(Channel.LinkedIn, Hours(-1))], "{}", [] }, // LinkedIn's posts crowd LinkedIn, not X
        { [.. Broadcasts(3, Hours(-30), Hours(2))], "{}", [] },                                                   // more than a day ago
        { [.. Broadcasts(3, Hours(-8), Hours(2))], """{ "maxPostsPerChannel": 4 }""", [] },
        { [Broadcast(Hours(-2))], """{ "maxPostsPerChannel": 1 }""", ["2 posts on x in 24 hours"] },
        { [.. Broadcasts(2, Hours(-8), Hours(2)), Reply(Hours(-1)), Reply(Hours(-2))], "{}", [] },                   // replies on the channel do not count
        { [.. Broadcasts(2, Hours(-8), Hours(2)), Reply(Hours(-1))], """{ "countReplies": true }""", ["4 posts on x in 24 hours"] },
    };

    [Theory]
    [MemberData(nameof(PerChannel))]
    public void Evaluate_CountsAnnouncementsOnTheDraftsChannel(TimelineEntry[] timeline, string options, string[] evidence)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(Text), timeline);

        Assert.Equal(evidence, evaluation.Findings.Where(f => f.RuleId == "PG301").SelectMany(f => f.Evidence));
    }

    [Fact]
    public void Evaluate_EarlierVersionOfThisDraft_IsNotCounted()
    {
        var draft = Drafts.Post(Text, draftId: "draft-3");
        TimelineEntry[] timeline = [.. Broadcasts(3, Hours(-8), Hours(2)), Broadcast(TimeSpan.Zero, draftId: "draft-3")];

        Assert.Empty(Gate.Check(Policies.Only(Rule, AllChannels), draft, timeline).Findings);
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
    [InlineData("""{ "maxPostsPerChannel": 0 }""", "maxPostsPerChannel: must be between 1 and 200 (was 0)")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    private static TimelineEntry On(Channel channel, TimeSpan offset) => Broadcast(offset) with { Channel = channel };
}
