using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;
using static PostGate.Rules.Tests.TestSupport.Timeline;
using GatePolicy = PostGate.Rules.Policy.Policy;

namespace PostGate.Rules.Tests.Rules.Cadence;

public sealed class PromotionalShareRuleTests
{
    private const string Rule = "cadence/promotional-share";
    private const string Promotion = "Buy now: the spring range is in.";  // score 4
    private const string Helpful = "Here is how teams use the spring range."; // score 0

    private const string Lexicon = """
        "phrases": [
          { "text": "buy now", "weight": 4, "category": "call-to-action" },
          { "text": "act fast", "weight": 2, "category": "urgency" },
          { "text": "limited time", "weight": 1, "category": "urgency" }
        ]
        """;

    [Fact]
    public void Evaluate_SecondPromotionInFivePosts_ReportsPG305()
    {
        var evaluation = Gate.Check(Policy(), Drafts.Post(Promotion), [Promoted(Days(-4)), .. Broadcasts(3, Days(-3), Days(1))]);

        var finding = evaluation.Single("PG305");
        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Empty(finding.Spans);
        Assert.Equal(["2/5 promotional posts in 7 days"], finding.Evidence);
        Assert.Equal("2 of the account's 5 posts in 7 days are promotions (40%; the policy allows 20%).", finding.Message);
        Assert.StartsWith("Most of this week's posts are promotions (2 of 5).", finding.Coaching, StringComparison.Ordinal);
    }

    public static TheoryData<string, TimelineEntry[], string, bool> Cases => new()
    {
        // draft text, the account's other posts, options, reported
        { Promotion, [.. Broadcasts(4, Days(-4), Days(1))], "{}", false },                                 // one in five: at the limit
        { Helpful, [.. Promotions(4, Days(-4), Days(1))], "{}", false },                                  // this post is not a promotion
        { "Act fast, it's a limited time thing.", [Promoted(Days(-4)), .. Broadcasts(3, Days(-3), Days(1))], "{}", true }, // score 3: exactly promotionalAtScore
        { "Act fast, the spring range is in.", [.. Promotions(4, Days(-4), Days(1))], "{}", false },       // score 2: not a promotion
        { Promotion, [.. Promotions(3, Days(-3), Days(1))], "{}", false },                                // four posts: too few to judge
        { Promotion, [Promoted(Days(-8)), .. Broadcasts(4, Days(-4), Days(1))], "{}", false },             // a promotion outside the seven days
        { Promotion, [.. Broadcasts(4, Days(-4), Days(1)), Promoted(Hours(2))], "{}", false },             // later posts do not count
        { Promotion, [Reply(Days(-4)) with { Promotional = true }, .. Broadcasts(3, Days(-3), Days(1))], "{}", true }, // a promotional reply is a promotion
        { Promotion, [Promoted(Days(-4)), .. Broadcasts(3, Days(-3), Days(1))], """{ "maxShare": 0.4 }""", false },
        { Promotion, [Promoted(Days(-4)), .. Broadcasts(3, Days(-3), Days(1))], """{ "minPosts": 6 }""", false },
        { Promotion, [Promoted(Days(-4)), .. Broadcasts(4, Days(-3), Hours(12))], """{ "windowDays": 3 }""", false }, // the promotion four days ago is outside
        { Promotion, [Promoted(Days(-4)), .. Broadcasts(3, Days(-3), Days(1))], """{ "promotionalAtScore": 5 }""", false },
        { Promotion, [Promoted(Days(-4)), .. Broadcasts(3, Days(-3), Days(1))], """{ "severity": "off" }""", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_ShareOfPromotionsInTheWindow(string text, TimelineEntry[] timeline, string options, bool reported)
    {
        var evaluation = Gate.Check(Policy(options), Drafts.Post(text), timeline);

        Assert.Equal(reported, evaluation.Findings.Any(f => f.RuleId == "PG305"));
    }

    [Fact]
    public void Evaluate_HardSellPhrasesOff_NothingIsAPromotion()
    {
        // NOTE: the hard-sell score comes from hard-sell/phrases; switched off, it scores nothing. Shadow mode keeps the score.
        var policy = Policies.Running($$""" "{{Rule}}": {}, "hard-sell/phrases": { {{Lexicon}}, "severity": "off" } """);

        var evaluation = Gate.Check(policy, Drafts.Post(Promotion), [.. Promotions(4, Days(-4), Days(1))]);

        Assert.Empty(evaluation.Findings);
        Assert.Equal(0, evaluation.HardSellScore);
    }

    [Fact]
    public void Evaluate_PhrasesInShadowMode_ShowOnlyThePromotionalShare()
    {
        var evaluation = Gate.Check(Policy(), Drafts.Post(Promotion), [.. Promotions(4, Days(-4), Days(1))]);

        Assert.Equal(["PG305"], evaluation.Findings.Select(f => f.RuleId));
        Assert.Equal(["PG201"], evaluation.ShadowFindings.Select(f => f.RuleId));
        Assert.Equal(Verdict.Coach, evaluation.Verdict);
    }

    [Theory]
    [InlineData("""{ "windowDays": 0 }""", "windowDays: must be between 1 and 31 (was 0)")]
    [InlineData("""{ "maxShare": 1.5 }""", "maxShare: must be between 0 and 1 (was 1.5)")]
    [InlineData("""{ "minPosts": 0 }""", "minPosts: must be between 1 and 1000 (was 0)")]
    [InlineData("""{ "promotionalAtScore": 0 }""", "promotionalAtScore: must be between 1 and 100 (was 0)")] // 0 would make every post a promotion
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    /// <summary>The rule under test, fed by hard-sell/phrases in shadow mode: it scores posts without showing findings.</summary>
    private static GatePolicy Policy(string options = "{}") =>
        Policies.Running($$""" "{{Rule}}": {{options}}, "hard-sell/phrases": { {{Lexicon}}, "mode": "shadow" } """);

    private static TimelineEntry Promoted(TimeSpan offset) => Broadcast(offset) with { Promotional = true };

    private static TimelineEntry[] Promotions(int count, TimeSpan first, TimeSpan step) =>
        [.. Broadcasts(count, first, step).Select(e => e with { Promotional = true })];
}
