using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;
using static PostGate.Rules.Tests.TestSupport.Timeline;

namespace PostGate.Rules.Tests.Rules.LinkDropping;

public sealed class RepeatedLinkRuleTests
{
    private const string Rule = "link-dropping/repeated-link";
    private const string Text = "Our spring notes are up at https://acme.com/spring";
    private const string Key = "acme.com/spring";

    [Fact]
    public void Evaluate_LinkInTwoEarlierPosts_ReportsPG106AtTheLink()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(Text), Linked(Days(-3), Key), Linked(Days(-1), Key));

        var finding = evaluation.Single("PG106");
        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["https://acme.com/spring"], finding.Quotes(Text));
        Assert.Equal([Key], finding.Evidence);
        Assert.Equal("\"acme.com/spring\" was already in 2 of the account's posts in 7 days.", finding.Message);
        Assert.StartsWith("\"acme.com/spring\" has gone out 2 times in 7 days.", finding.Coaching, StringComparison.Ordinal);
    }

    public static TheoryData<string, TimelineEntry[], string, bool> Cases => new()
    {
        // draft text, the account's other posts, options, reported
        { Text, [Linked(Days(-1), Key)], "{}", false },                                              // once before: this is the second time, fine
        { Text, [Linked(Days(-3), Key), Linked(Days(-1), "acme.com/summer")], "{}", false },          // another page of the same site is another link
        { Text, [Linked(Days(-3), Key), Linked(Days(-1), "acme.com")], "{}", false },
        { Text, [Linked(Days(-7), Key), Linked(Days(-1), Key)], "{}", true },                        // exactly seven days ago still counts
        { Text, [Linked(Days(-8), Key), Linked(Days(-1), Key)], "{}", false },                       // eight days ago does not
        { Text, [Linked(Days(-2), Key), Linked(Days(3), Key)], "{}", true },                         // a post already scheduled later counts too
        { Text, [Linked(Days(-2), Key), Reply(Days(-1), links: 1) with { LinkKeys = [Key] }], "{}", true }, // replies count: the link went out
        { "Spring notes: HTTP://WWW.Acme.com/Spring/?utm_source=x#top", [Linked(Days(-3), Key), Linked(Days(-1), Key)], "{}", true }, // scheme, www, case, query and fragment aside
        { "Spring notes are up, have a look", [Linked(Days(-3), Key), Linked(Days(-1), Key)], "{}", false }, // no link in this post
        { Text, [Linked(Days(-1), Key)], """{ "maxRepeats": 1 }""", true },
        { Text, [Linked(Days(-3), Key), Linked(Days(-1), Key)], """{ "maxRepeats": 3 }""", false },
        { Text, [Linked(Days(-3), Key), Linked(Days(-2), Key)], """{ "windowDays": 1 }""", false },
        { Text, [Linked(Days(-3), Key), Linked(Days(-1), Key)], """{ "severity": "off" }""", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_CountsEarlierPostsWithTheSameLink(string text, TimelineEntry[] timeline, string options, bool reported)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(text), timeline);

        Assert.Equal(reported, evaluation.Findings.Any(f => f.RuleId == "PG106"));
    }

    [Fact]
    public void Evaluate_TwoRepeatedLinks_ReportsEach()
    {
        const string text = "Notes at https://acme.com/spring and sizes at https://acme.com/sizes";
        TimelineEntry[] timeline = [Linked(Days(-3), Key, "acme.com/sizes"), Linked(Days(-1), Key, "acme.com/sizes")];

        var findings = Gate.Check(Policies.Only(Rule), Drafts.Post(text), timeline).Findings;

        Assert.Equal([[Key], ["acme.com/sizes"]], findings.Select(f => f.Evidence));
        Assert.Equal([[9], [46]], findings.Select(f => f.Starts()));
    }

    [Fact]
    public void Evaluate_AttachedLink_IsCompared()
    {
        var draft = Drafts.Post("Our spring notes are up", links: ["https://acme.com/spring"]);

        var finding = Gate.Check(Policies.Only(Rule), draft, Linked(Days(-3), Key), Linked(Days(-1), Key)).Single("PG106");

        Assert.Empty(finding.Spans);
        Assert.Equal([Key], finding.Evidence);
    }

    [Fact]
    public void Evaluate_LinkOnAnAllowedDomain_IsNotCompared()
    {
        var policy = Policies.Only(Rule, scope: """ "allowedDomains": ["acme.com"] """);

        var evaluation = Gate.Check(policy, Drafts.Post(Text), Linked(Days(-3), Key), Linked(Days(-1), Key));

        Assert.Empty(evaluation.Findings);
    }

    [Fact]
    public void Evaluate_EarlierVersionOfThisDraft_IsNotCounted()
    {
        TimelineEntry[] timeline = [Linked(Days(-3), Key), Linked(Hours(-1), Key) with { DraftId = "draft-6" }];

        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(Text, draftId: "draft-6"), timeline);

        Assert.Empty(evaluation.Findings);
    }

    [Theory]
    [InlineData("""{ "maxRepeats": 0 }""", "maxRepeats: must be between 1 and 100 (was 0)")] // this post always carries its own link
    [InlineData("""{ "maxRepeats": 101 }""", "maxRepeats: must be between 1 and 100 (was 101)")]
    [InlineData("""{ "windowDays": 0 }""", "windowDays: must be between 1 and 31 (was 0)")]
    [InlineData("""{ "windowDays": 32 }""", "windowDays: must be between 1 and 31 (was 32)")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    private static TimelineEntry Linked(TimeSpan offset, params string[] keys) =>
        Broadcast(offset, links: keys.Length) with { LinkKeys = keys };
}
