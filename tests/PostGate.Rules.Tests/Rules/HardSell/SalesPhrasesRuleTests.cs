using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;
using GatePolicy = PostGate.Rules.Policy.Policy;

namespace PostGate.Rules.Tests.Rules.HardSell;

public sealed class SalesPhrasesRuleTests
{
    private const string Rule = "hard-sell/phrases";

    private const string Lexicon = """
        "phrases": [
          { "text": "buy now", "weight": 4, "category": "call-to-action", "suggest": "see how it works" },
          { "text": "act fast", "weight": 2, "category": "urgency" },
          { "text": "limited time", "weight": 3, "category": "urgency", "suggest": "available until Friday" },
          { "text": "free gift", "weight": 5, "category": "discount" },
          { "text": "% off", "weight": 3, "category": "discount", "suggest": "a lower price for current customers" }
        ]
        """;

    private static GatePolicy Policy(string options = "") =>
        Policies.Only(Rule, $$"""{ {{Lexicon}}{{(options.Length > 0 ? ", " + options : string.Empty)}} }""");

    [Fact]
    public void Evaluate_BuyNow_ReportsPG201AtThePhrase()
    {
        const string text = "Spring is here. Buy now!";

        var evaluation = Gate.Check(Policy(), Drafts.Post(text));

        var finding = evaluation.Single("PG201");
        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["Buy now"], finding.Quotes(text));
        Assert.Equal([16], finding.Starts());
        Assert.Equal(["Buy now"], finding.Evidence);
        Assert.Equal("\"Buy now\" read as a sales pitch (score 4).", finding.Message);
        Assert.Equal(
            "\"Buy now\" pressure rather than persuade, and pitches are what people scroll past. Try \"see how it works\" instead of \"Buy now\".",
            finding.Coaching);
        Assert.Equal(4, evaluation.HardSellScore);
    }

    public static TheoryData<string, string, int, Severity?> Scores => new()
    {
        // text, options, hard-sell score, severity (null: no finding)
        { "Buy now", "", 4, Severity.Coach },
        { "Act fast, limited time", "", 5, Severity.Coach },                   // one below reviewAtScore
        { "Buy now and act fast", "", 6, Severity.Review },                    // exactly reviewAtScore
        { "Buy now: a free gift, act fast", "", 11, Severity.Review },         // one below blockAtScore
        { "Buy now: a free gift for a limited time", "", 12, Severity.Block }, // exactly blockAtScore
        { "buy now, buy now, BUY NOW", "", 4, Severity.Coach },                // a phrase counts once however often it appears
        { "Here is how teams use it", "", 0, null },
        { "Buy now", "\"reviewAtScore\": 4", 4, Severity.Review },
        { "Buy now", "\"reviewAtScore\": 2, \"blockAtScore\": 4", 4, Severity.Block },
        { "Act fast", "\"severity\": \"review\"", 2, Severity.Review },       // the policy's severity is the floor
        { "Act fast", "\"severity\": \"block\"", 2, Severity.Block },
        { "Buy now and act fast", "\"severity\": \"block\"", 6, Severity.Block }, // a stricter severity is not lowered to review
        { "Buy now: a free gift for a limited time", "\"severity\": \"off\"", 0, null }, // off: not even scored
    };

    [Theory]
    [MemberData(nameof(Scores))]
    public void Evaluate_ScoreEscalatesToReviewAndBlock(string text, string options, int score, Severity? severity)
    {
        var evaluation = Gate.Check(Policy(options), Drafts.Post(text));

        Assert.Equal(score, evaluation.HardSellScore);
        Assert.Equal(severity, evaluation.Findings.SingleOrDefault(f => f.RuleId == "PG201")?.Severity);
    }

    [Fact]
    public void Evaluate_RepeatedPhrase_HasASpanForEveryOccurrence()
    {
        const string text = "buy now, buy now, BUY NOW";

        var finding = Gate.Check(Policy(), Drafts.Post(text)).Single("PG201");

        Assert.Equal([0, 9, 18], finding.Starts());
        Assert.Equal("\"buy now\" read as a sales pitch (score 4).", finding.Message);
    }

    [Fact]
    public void Evaluate_OffersAtMostTwoSuggestions()
    {
        const string text = "Buy now, 20% off for a limited time";

        var finding = Gate.Check(Policy(), Drafts.Post(text)).Single("PG201");

        Assert.Equal(["Buy now", "% off", "limited time"], finding.Quotes(text));
        Assert.EndsWith(
            "Try \"see how it works\" instead of \"Buy now\", or \"a lower price for current customers\" instead of \"% off\".",
            finding.Coaching,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoSuggestion_OffersTheGeneralRewrite()
    {
        var finding = Gate.Check(Policy(), Drafts.Post("Act fast")).Single("PG201");

        Assert.Equal(
            "\"Act fast\" pressure rather than persuade, and pitches are what people scroll past. Say what changes for the customer instead, e.g. \"Here's what the update fixes for you.\"",
            finding.Coaching);
    }

    [Fact]
    public void Evaluate_CoachingOverride_FillsPlaceholders()
    {
        var policy = Policy("\"coaching\": \"Score {score}: {quoted}.\"");

        var finding = Gate.Check(policy, Drafts.Post("Buy now and act fast")).Single("PG201");

        Assert.Equal("Score 6: \"Buy now\" and \"act fast\".", finding.Coaching);
    }

    public static TheoryData<string, string[]> Evasions => new()
    {
        // text, what the default lexicon finds, quoted from the original text
        { "𝐁𝐔𝐘 𝐍𝐎𝐖 before it's gone", ["𝐁𝐔𝐘 𝐍𝐎𝐖"] },
        { "ＢＵＹ ＮＯＷ before it's gone", ["ＢＵＹ ＮＯＷ"] },
        { "B U Y  N-O-W before it's gone", ["B U Y  N-O-W"] },
        { "b.u.y n.o.w before it's gone", ["b.u.y n.o.w"] },
        { "BUY NOWWWW before it's gone", ["BUY NOWWWW"] },
        { "ВUY NОW before it's gone", ["ВUY NОW"] },               // Cyrillic В and О
        { "ΒUΥ ΝΟW before it's gone", ["ΒUΥ ΝΟW"] },               // Greek capitals
        { "b\u200Buy n\u200Bow before it's gone", ["b\u200Buy n\u200Bow"] },
        { "0rder n0w before it's gone", ["0rder n0w"] },
        { "Lіmіted tіme, friends", ["Lіmіted tіme"] },            // Cyrillic і
        { "Don’t miss out, friends", ["Don’t miss out"] },
        { "A MUST-HAVE for spring", ["MUST-HAVE"] },
    };

    [Theory]
    [MemberData(nameof(Evasions))]
    public void Evaluate_DefaultLexicon_SeesThroughEvasions(string text, string[] quotes)
    {
        var finding = Gate.Check(Policies.DefaultOnly(Rule), Drafts.Post(text)).Single("PG201");

        Assert.Equal(quotes, finding.Quotes(text));
        Assert.Equal(quotes, finding.Evidence);
    }

    [Theory]
    [InlineData("Here's how teams use it to cut their reporting time.")]
    [InlineData("50% of our customers asked for dark mode, so here it is.")]
    [InlineData("We hurried to fix the export bug; thanks for your patience.")]
    [InlineData("Our 2026 roadmap is out. Tell us what you think.")]
    public void Evaluate_DefaultLexicon_LeavesHelpfulPostsAlone(string text)
    {
        var evaluation = Gate.Check(Policies.DefaultOnly(Rule), Drafts.Post(text));

        Assert.Empty(evaluation.Findings);
        Assert.Equal(0, evaluation.HardSellScore);
    }
}
