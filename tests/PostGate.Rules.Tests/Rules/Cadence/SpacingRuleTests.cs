using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;
using static PostGate.Rules.Tests.TestSupport.Timeline;

namespace PostGate.Rules.Tests.Rules.Cadence;

public sealed class SpacingRuleTests
{
    private const string Rule = "cadence/spacing";
    private const string Text = "Spring notes are up.";

    [Fact]
    public void Evaluate_AnnouncementHalfAnHourEarlier_ReportsPG302()
    {
        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post(Text), Broadcast(Minutes(-30))).Single("PG302");

        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Empty(finding.Spans);
        Assert.Equal(["30 minutes apart"], finding.Evidence);
        Assert.Equal("This post goes out 30 minutes from another one; the policy asks for 60.", finding.Message);
    }

    public static TheoryData<Draft, TimelineEntry[], string, string[]> Cases => new()
    {
        // draft, the account's other posts, options, evidence (empty: no finding)
        { Drafts.Post(Text), [Broadcast(Minutes(-60))], "{}", [] },                          // exactly an hour: enough
        { Drafts.Post(Text), [Broadcast(Minutes(-59))], "{}", ["59 minutes apart"] },
        { Drafts.Post(Text), [Broadcast(Minutes(59.5))], "{}", ["59 minutes apart"] },       // a later post counts; minutes round down
        { Drafts.Post(Text), [Broadcast(Minutes(-45)), Broadcast(Minutes(20))], "{}", ["20 minutes apart"] }, // the closest one
        { Drafts.Post(Text), [Broadcast(TimeSpan.Zero)], "{}", ["0 minutes apart"] },
        { Drafts.Post(Text), [Reply(Minutes(-5))], "{}", [] },                               // replies are conversation, not crowding
        { Drafts.Reply(Text), [Broadcast(Minutes(-5))], "{}", [] },                          // and so is this reply
        { Drafts.Post(Text), [Broadcast(Minutes(-30))], """{ "minMinutes": 30 }""", [] },
        { Drafts.Post(Text), [Broadcast(Minutes(-100))], """{ "minMinutes": 120 }""", ["100 minutes apart"] },
        { Drafts.Post(Text), [Broadcast(Minutes(-30))], """{ "severity": "off" }""", [] },
        { Drafts.Post(Text), [], "{}", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_ReportsTheClosestAnnouncementInsideTheGap(Draft draft, TimelineEntry[] timeline, string options, string[] evidence)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), draft, timeline);

        Assert.Equal(evidence, evaluation.Findings.Where(f => f.RuleId == "PG302").SelectMany(f => f.Evidence));
    }

    [Fact]
    public void Evaluate_EarlierVersionOfThisDraft_IsNotCounted()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(Text, draftId: "draft-5"), Broadcast(Minutes(-10), draftId: "draft-5"));

        Assert.Empty(evaluation.Findings);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1441)]
    public void Load_MinMinutesOutOfRange_NamesThePath(int minutes)
    {
        Assert.Equal(
            [$"$.rules['{Rule}'].minMinutes: must be between 1 and 1440 (was {minutes})"],
            Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": { "minMinutes": {{minutes}} } } }"""));
    }
}
