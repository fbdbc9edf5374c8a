using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Rules.HardSell;
using PostGate.Rules.Rules.LinkDropping;
using PostGate.Rules.Tests.TestSupport;
using Xunit;
using static PostGate.Rules.Tests.TestSupport.Timeline;

namespace PostGate.Rules.Tests.Engine;

public sealed class PolicyEngineTests
{
    private const string Example = "BUY NOW!!! 50% off, limited time only: bit.ly/deal";

    [Fact]
    public void Evaluate_ExamplePost_IsHeldForReview()
    {
        var evaluation = Gate.Check(Policies.Default, Drafts.Post(Example));

        Assert.Equal(Verdict.Review, evaluation.Verdict);
        // NOTE: two capital words are under the default policy's three-word shouting run, so PG202 stays quiet.
        Assert.Equal(["PG102", "PG201", "PG203"], evaluation.Findings.Select(f => f.RuleId));
        Assert.Equal(10, evaluation.HardSellScore);
        Assert.Equal(1, evaluation.LinkCount);
        Assert.Equal(Policies.Default.Version, evaluation.PolicyVersion);
    }

    [Fact]
    public void Evaluate_ExamplePost_QuotesTheOriginalText()
    {
        var evaluation = Gate.Check(Policies.Default, Drafts.Post(Example));

        Assert.Equal(["bit.ly/deal"], evaluation.Single("PG102").Quotes(Example));
        Assert.Equal(["BUY NOW", "50% off", "limited time only"], evaluation.Single("PG201").Quotes(Example));
        Assert.Equal(["!!!"], evaluation.Single("PG203").Quotes(Example));
        Assert.Equal(Severity.Review, evaluation.Single("PG201").Severity);
        Assert.Equal("\"BUY NOW\", \"50% off\" and \"limited time only\" read as a sales pitch (score 10).", evaluation.Single("PG201").Message);
    }

    [Fact]
    public void Evaluate_ExamplePost_SummaryHasThreeActionsMostSevereFirst()
    {
        var evaluation = Gate.Check(Policies.Default, Drafts.Post(Example));

        Assert.Equal(
            [
                SalesPhrasesRule.Definition.Action,
                ShortenerRule.Definition.Action,
                ExclamationsRule.Definition.Action,
            ],
            evaluation.Summary);
        Assert.True(evaluation.Summary.Count <= PolicyEngine.MaxSummaryItems);
    }

    [Fact]
    public void Evaluate_SummaryReadFromManyThreadsAtOnce_IsOneList()
    {
        for (var round = 0; round < 200; round++)
        {
            var evaluation = Gate.Check(Policies.Default, Drafts.Post(Example));

            var read = Threads.ReadAtOnce(() => evaluation.Summary);

            Assert.All(read, summary => Assert.Same(read[0], summary));
            Assert.Equal([SalesPhrasesRule.Definition.Action, ShortenerRule.Definition.Action, ExclamationsRule.Definition.Action], read[0]);
        }
    }

    [Fact]
    public void Evaluate_FriendlyReplyToACustomer_IsAllowedWithoutFindings()
    {
        var draft = Drafts.Reply("Thanks for flagging this, Sam. The export button is back under Settings, and your files are safe.");
        TimelineEntry[] busyDay = [.. Broadcasts(6, Hours(-5), Minutes(20))];

        var evaluation = Gate.Check(Policies.Default, draft, busyDay);

        Assert.Equal(Verdict.Allow, evaluation.Verdict);
        Assert.Empty(evaluation.Findings);
        Assert.Empty(evaluation.Summary);
        Assert.Equal(0, evaluation.HardSellScore);
        Assert.Equal(0, evaluation.LinkCount);
    }

    public static TheoryData<string, Verdict> VerdictBySeverity => new()
    {
        { "coach", Verdict.Coach },
        { "review", Verdict.Review },
        { "block", Verdict.Block },
    };

    [Theory]
    [MemberData(nameof(VerdictBySeverity))]
    public void Evaluate_VerdictIsTheMostSevereFinding(string severity, Verdict expected)
    {
        var policy = PolicyLoader.Load($$"""
            {
              "name": "t",
              "rules": {
                "link-dropping/shortener": { "severity": "{{severity}}" },
                "hard-sell/exclamations": { "severity": "coach" }
              }
            }
            """);

        var evaluation = Gate.Check(policy, Drafts.Post("Our spring notes are up, have a look!! bit.ly/notes"));

        Assert.Equal(expected, evaluation.Verdict);
        Assert.Equal(["PG102", "PG203"], evaluation.Findings.Select(f => f.RuleId));
    }

    [Fact]
    public void Evaluate_EveryRuleOff_AllowsAnything()
    {
        var allOff = string.Join(", ", RuleCatalog.All.Select(r => $"\"{r.Descriptor.Name}\": {{ \"severity\": \"off\" }}"));
        var policy = PolicyLoader.Load($$"""{ "name": "t", "rules": { {{allOff}} } }""");

        var evaluation = Gate.Check(policy, Drafts.Post(Example + " https://acme.com/a https://acme.com/b"), Broadcasts(9, Hours(-9), Hours(1), links: 1));

        Assert.Equal(Verdict.Allow, evaluation.Verdict);
        Assert.Empty(evaluation.Findings);
        Assert.Equal(0, evaluation.HardSellScore);
    }

    [Fact]
    public void Evaluate_ManyFindings_SummaryKeepsTheFirstThreeActions()
    {
        var text = "BUY NOW!!! at bit.ly/a or https://acme.com/b";

        var evaluation = Gate.Check(Policies.Default, Drafts.Post(text), Broadcasts(4, Hours(-4), Minutes(50), links: 1));

        // NOTE: every finding is coached, so the summary keeps catalog order and stops after three.
        Assert.Equal(["PG101", "PG102", "PG103", "PG104", "PG201", "PG203", "PG301", "PG303"], evaluation.Findings.Select(f => f.RuleId));
        Assert.All(evaluation.Findings, f => Assert.Equal(Severity.Coach, f.Severity));
        Assert.Equal(
            [TooManyLinksRule.Definition.Action, ShortenerRule.Definition.Action, BareLinkRule.Definition.Action],
            evaluation.Summary);
    }

    [Fact]
    public void Evaluate_LinkCount_CountsAttachedLinksTheTextDoesNotRepeat()
    {
        var draft = Drafts.Post(
            "Our spring notes are up at https://acme.com/notes for everyone",
            links: ["HTTPS://ACME.COM/NOTES", "https://acme.com/card"]);

        var evaluation = Gate.Check(Policies.Only("link-dropping/too-many-links"), draft);

        Assert.Equal(2, evaluation.LinkCount);
    }

    [Fact]
    public void Evaluate_TimelineEntryOfTheSameDraft_IsLeftOut()
    {
        // NOTE: re-checking an edited draft must not count its earlier version against it.
        var policy = Policies.Only("cadence/spacing");
        var draft = Drafts.Post("Spring notes are up.", draftId: "draft-7");

        var evaluation = Gate.Check(policy, draft, Broadcast(Minutes(-5), draftId: "draft-7"));

        Assert.Empty(evaluation.Findings);
    }

    [Fact]
    public void Evaluate_DraftWithoutId_KeepsEveryTimelineEntry()
    {
        var evaluation = Gate.Check(Policies.Only("cadence/spacing"), Drafts.Post("Spring notes are up."), Broadcast(Minutes(-5), draftId: "draft-7"));

        Assert.Equal("PG302", Assert.Single(evaluation.Findings).RuleId);
    }

    [Fact]
    public void Evaluate_NullArguments_Throw()
    {
        var draft = Drafts.Post("hello");

        Assert.Throws<ArgumentNullException>(() => PolicyEngine.Evaluate(null!, [], Policies.Default));
        Assert.Throws<ArgumentNullException>(() => PolicyEngine.Evaluate(draft, null!, Policies.Default));
        Assert.Throws<ArgumentNullException>(() => PolicyEngine.Evaluate(draft, [], null!));
    }

    [Fact]
    public void Evaluate_FindingsCarryDescriptorIdentityAndCoaching()
    {
        var evaluation = Gate.Check(Policies.Default, Drafts.Post(Example));

        Assert.All(evaluation.Findings, f =>
        {
            var descriptor = RuleCatalog.All.Single(r => r.Descriptor.Id == f.RuleId).Descriptor;
            Assert.Equal(descriptor.Name, f.Rule);
            Assert.Equal(descriptor.Action, f.Action);
            Assert.False(string.IsNullOrWhiteSpace(f.Coaching));
            Assert.DoesNotContain("{", f.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("{", f.Coaching, StringComparison.Ordinal);
        });
    }
}
