using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;
using static PostGate.Rules.Tests.TestSupport.Timeline;

namespace PostGate.Rules.Tests.Rules.Cadence;

public sealed class NoConversationRuleTests
{
    private const string Rule = "cadence/no-conversation";
    private const string Text = "Spring notes are up.";

    [Fact]
    public void Evaluate_FiveAnnouncementsAndNoReply_ReportsPG303()
    {
        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post(Text), Broadcasts(4, Days(-4), Days(1))).Single("PG303");

        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Empty(finding.Spans);
        Assert.Equal(["5 announcements, 0 replies in 7 days"], finding.Evidence);
        Assert.Equal("In 7 days the account posted 5 announcements and 0 replies.", finding.Message);
        Assert.Equal(
            "The account has posted 5 announcements and 0 replies in 7 days. Answer one of the customers waiting on you before you publish another announcement.",
            finding.Coaching);
    }

    public static TheoryData<Draft, TimelineEntry[], string, bool> Cases => new()
    {
        // draft, the account's other posts, options, reported
        { Drafts.Post(Text), [.. Broadcasts(3, Days(-3), Days(1)), Reply(Days(-1))], "{}", false },    // 1 reply in 5 posts: exactly 20%
        { Drafts.Post(Text), [.. Broadcasts(4, Days(-4), Days(1)), Reply(Days(-1))], "{}", true },     // 1 reply in 6 posts: under 20%
        { Drafts.Post(Text), Broadcasts(3, Days(-3), Days(1)), "{}", false },                          // 4 posts: too few to judge
        { Drafts.Post(Text), [.. Broadcasts(3, Days(-3), Days(1)), Broadcast(Days(-8))], "{}", false }, // outside the 7 days
        { Drafts.Post(Text), [.. Broadcasts(3, Days(-3), Days(1)), Broadcast(Hours(1))], "{}", false }, // later posts are not history yet
        { Drafts.Reply(Text), Broadcasts(9, Days(-5), Hours(12)), "{}", false },                      // this post is the conversation
        { Drafts.Post(Text), Broadcasts(4, Days(-4), Days(1)), """{ "windowDays": 2 }""", false },
        { Drafts.Post(Text), Broadcasts(4, Days(-4), Days(1)), """{ "minPosts": 6 }""", false },
        { Drafts.Post(Text), [.. Broadcasts(3, Days(-3), Days(1)), Reply(Days(-1))], """{ "minReplyShare": 0.5 }""", true },
        { Drafts.Post(Text), Broadcasts(4, Days(-4), Days(1)), """{ "minReplyShare": 0 }""", false },
        { Drafts.Post(Text), Broadcasts(4, Days(-4), Days(1)), """{ "severity": "off" }""", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_ShareOfRepliesInTheWindow(Draft draft, TimelineEntry[] timeline, string options, bool reported)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), draft, timeline);

        Assert.Equal(reported, evaluation.Findings.Any(f => f.RuleId == "PG303"));
    }

    [Fact]
    public void Evaluate_EarlierVersionOfThisDraft_IsNotCounted()
    {
        var draft = Drafts.Post(Text, draftId: "draft-8");
        TimelineEntry[] timeline = [.. Broadcasts(3, Days(-3), Days(1)), Broadcast(Hours(-2), draftId: "draft-8")];

        Assert.Empty(Gate.Check(Policies.Only(Rule), draft, timeline).Findings);
    }

    [Theory]
    [InlineData("""{ "windowDays": 32 }""", "windowDays: must be between 1 and 31 (was 32)")]
    [InlineData("""{ "minReplyShare": 1.5 }""", "minReplyShare: must be between 0 and 1 (was 1.5)")]
    [InlineData("""{ "minPosts": 0 }""", "minPosts: must be between 1 and 1000 (was 0)")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }
}
