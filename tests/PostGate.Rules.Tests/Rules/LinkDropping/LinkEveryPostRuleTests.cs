using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;
using static PostGate.Rules.Tests.TestSupport.Timeline;

namespace PostGate.Rules.Tests.Rules.LinkDropping;

public sealed class LinkEveryPostRuleTests
{
    private const string Rule = "link-dropping/link-every-post";
    private const string WithLink = "Spring notes are up at https://acme.com/notes";

    [Fact]
    public void Evaluate_FourLinkedPostsAndThisOne_ReportsPG104()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(WithLink), Broadcasts(4, Days(-4), Days(1), links: 1));

        var finding = evaluation.Single("PG104");
        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["https://acme.com/notes"], finding.Quotes(WithLink));
        Assert.Equal(["5/5 posts with links in 7 days"], finding.Evidence);
        Assert.Equal("5 of the account's 5 posts in 7 days carry a link (100%).", finding.Message);
    }

    public static TheoryData<string, TimelineEntry[], bool> Cases => new()
    {
        // draft text, the account's other posts, reported
        { WithLink, [Broadcast(Days(-1), 1), Broadcast(Days(-2), 1), Broadcast(Days(-3), 1), Broadcast(Days(-4))], true }, // 4 of 5 = 80%
        { WithLink, [Broadcast(Days(-1), 1), Broadcast(Days(-2), 1), Broadcast(Days(-3)), Broadcast(Days(-4))], false },    // 3 of 5 = 60%: at the limit
        { WithLink, [Broadcast(Days(-1), 1), Broadcast(Days(-2), 1), Broadcast(Days(-3), 1)], false },                      // 4 posts: too few to judge
        { WithLink, [Broadcast(Days(-1), 1), Reply(Days(-2), 1), Reply(Days(-3), 2), Broadcast(Days(-4), 1)], true },       // replies count as posts
        { WithLink, [Broadcast(Days(-1), 1), Broadcast(Days(-2), 1), Broadcast(Days(-3), 1), Broadcast(Days(-8), 1)], false }, // outside the 7 days
        { WithLink, [Broadcast(Days(-1), 1), Broadcast(Days(-2), 1), Broadcast(Days(-3), 1), Broadcast(Hours(2), 1)], false }, // later posts do not count
        { "Spring notes are up, no link today", [.. Broadcasts(6, Days(-6), Days(1), links: 1)], false },                   // this post has no link
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_ShareOfLinkedPostsInTheWindow(string text, TimelineEntry[] timeline, bool reported)
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(text), timeline);

        Assert.Equal(reported, evaluation.Findings.Any(f => f.RuleId == "PG104"));
    }

    [Fact]
    public void Evaluate_AttachedLinkMakesThisPostLinked()
    {
        var draft = Drafts.Post("Spring notes are up", links: ["https://acme.com/card"]);

        var finding = Gate.Check(Policies.Only(Rule), draft, Broadcasts(4, Days(-4), Days(1), links: 1)).Single("PG104");

        Assert.Empty(finding.Spans);
    }

    [Fact]
    public void Evaluate_EarlierVersionOfThisDraft_IsNotCounted()
    {
        var draft = Drafts.Post(WithLink, draftId: "draft-9");
        TimelineEntry[] timeline = [.. Broadcasts(3, Days(-3), Days(1), links: 1), Broadcast(Hours(-1), links: 1, draftId: "draft-9")];

        var evaluation = Gate.Check(Policies.Only(Rule), draft, timeline);

        Assert.Empty(evaluation.Findings);
    }

    [Theory]
    [InlineData("""{ "windowDays": 2 }""", false)]
    [InlineData("""{ "maxShare": 1 }""", false)]
    [InlineData("""{ "minPosts": 6 }""", false)]
    [InlineData("""{ "severity": "review" }""", true)]
    [InlineData("""{ "severity": "off" }""", false)]
    public void Evaluate_Options_ChangeTheWindowAndLimit(string options, bool reported)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(WithLink), Broadcasts(4, Days(-4), Days(1), links: 1));

        Assert.Equal(reported, evaluation.Findings.Any(f => f.RuleId == "PG104"));
    }

    [Theory]
    [InlineData("""{ "windowDays": 0 }""", "windowDays: must be between 1 and 31 (was 0)")]
    [InlineData("""{ "maxShare": -0.1 }""", "maxShare: must be between 0 and 1 (was -0.1)")]
    [InlineData("""{ "minPosts": 0 }""", "minPosts: must be between 1 and 1000 (was 0)")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }
}
