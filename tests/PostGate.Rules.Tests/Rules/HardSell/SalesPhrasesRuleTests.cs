using System.Diagnostics;
using CsCheck;
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

    [Fact]
    public void Evaluate_Pattern_ScoresLikeAPhraseAndQuotesTheOriginalText()
    {
        const string text = "Spring sale: 30% OFF everything, and 25 % off shoes";
        var policy = Policies.Only(Rule, """{ "patterns": [ { "pattern": "\\b\\d{1,3}\\s?%\\s?off\\b", "weight": 3, "category": "discount", "suggest": "a lower price" } ] }""");

        var evaluation = Gate.Check(policy, Drafts.Post(text));

        var finding = evaluation.Single("PG201");
        Assert.Equal(["30% OFF", "25 % off"], finding.Quotes(text));               // matched without regard to case
        Assert.Equal("\"30% OFF\" and \"25 % off\" read as a sales pitch (score 3).", finding.Message); // a pattern counts once
        Assert.EndsWith("Try \"a lower price\" instead of \"30% OFF\".", finding.Coaching, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, int> { ["discount"] = 3 }, evaluation.Analysis.HardSell.Parts);
    }

    [Fact]
    public void Evaluate_PhrasesAndPatterns_AddUpByCategory()
    {
        var policy = Policy("\"patterns\": [ { \"pattern\": \"only \\\\$\\\\d+\", \"weight\": 2, \"category\": \"discount\" } ]");

        var evaluation = Gate.Check(policy, Drafts.Post("Buy now, act fast: only $9 for a free gift"));

        Assert.Equal(13, evaluation.HardSellScore);
        Assert.Equal(
            new Dictionary<string, int> { ["call-to-action"] = 4, ["discount"] = 7, ["urgency"] = 2 },
            evaluation.Analysis.HardSell.Parts);
        Assert.Equal(Severity.Block, evaluation.Single("PG201").Severity);
    }

    [Fact]
    public void Evaluate_CatastrophicBacktrackingPattern_LoadsAndRunsInLinearTime()
    {
        // NOTE: (a+)+$ takes exponential time in a backtracking engine on a long run of 'a' that fails to match at the
        // end; with the 1 s timeout a backtracking engine would spend at least that long and then report nothing.
        var policy = Policies.Only(Rule, """{ "patternTimeoutMs": 1000, "patterns": [ { "pattern": "(a+)+$", "weight": 2 } ] }""");
        var text = new string('a', 50_000) + "! and then aaa";

        var clock = Stopwatch.StartNew();
        var evaluation = Gate.Check(policy, Drafts.Post(text));
        clock.Stop();

        Assert.Equal(["aaa"], evaluation.Single("PG201").Quotes(text));
        Assert.Equal(2, evaluation.HardSellScore);
        Assert.InRange(clock.ElapsedMilliseconds, 0, 500);
    }

    public static TheoryData<string, string> InvalidPatterns => new()
    {
        // patterns option, the error after "$.rules['hard-sell/phrases']."
        { """[ { "pattern": "(unclosed" } ]""", "patterns[0].pattern: not a valid regular expression for RegexOptions.NonBacktracking (" },
        { """[ { "pattern": "(\\w)\\1" } ]""", "patterns[0].pattern: uses a construct RegexOptions.NonBacktracking does not support (" },   // a backreference
        { """[ { "pattern": "sale(?= now)" } ]""", "patterns[0].pattern: uses a construct RegexOptions.NonBacktracking does not support (" }, // a lookahead
        { """[ { "pattern": "(?>atomic)" } ]""", "patterns[0].pattern: uses a construct RegexOptions.NonBacktracking does not support (" },
        { """[ { "pattern": "x*" } ]""", "patterns[0].pattern: matches the empty string, so it would match every post" },
        { """[ { "pattern": "sale|" } ]""", "patterns[0].pattern: matches the empty string, so it would match every post" },
        { """[ { "pattern": "" } ]""", "patterns[0].pattern: empty pattern" },
        { """[ { "weight": 2 } ]""", "patterns[0].pattern: empty pattern" },                                   // the pattern is required
        { """[ { "pattern": "sale", "weight": 0 } ]""", "patterns[0].weight: must be between 1 and 5 (was 0)" },
        { """[ { "pattern": "sale", "category": "hype" } ]""", "patterns[0].category: must be one of urgency, pressure, discount, guarantee, call-to-action, self-promotion (was 'hype')" },
        { """[ { "pattern": "sale" }, null ]""", "patterns[1]: must be an object" },
        { """[ { "pattern": "sale", "flags": "i" } ]""", "patterns[0].flags: unknown option 'flags'" },
    };

    [Theory]
    [MemberData(nameof(InvalidPatterns))]
    public void Load_InvalidPattern_NamesThePath(string patterns, string expected)
    {
        var error = Assert.Single(Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": { "patterns": {{patterns}} } } }"""));

        Assert.StartsWith($"$.rules['{Rule}'].{expected}", error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> Exceptions => new()
    {
        // text, what is quoted (lexicon "free" and "free gift"; exceptions "gluten free" and "feel free")
        { "Our gluten free bread is back", [] },
        { "Our Gluten-Free bread is back", [] },                                  // exceptions are normalized like phrases
        { "Our gluten free bread is back, and delivery is free", ["free"] },      // only the "free" inside the exception is silenced
        { "Free gluten tastings on Friday", ["Free"] },                            // the words must come in the exception's order
        { "Feel free to ask, and grab a free gift", ["free gift"] },
        { "Feel free gift wrapping", ["free gift"] },                              // a phrase reaching out of an exception still counts
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Evaluate_Exceptions_SilencePhrasesInsideThem(string text, string[] quotes)
    {
        var policy = Policies.Only(Rule, """
            {
              "phrases": [ { "text": "free", "weight": 1, "category": "discount" }, { "text": "free gift", "weight": 3, "category": "discount" } ],
              "exceptions": [ "gluten free", "feel free" ]
            }
            """);

        var evaluation = Gate.Check(policy, Drafts.Post(text));

        Assert.Equal(quotes, evaluation.Findings.Where(f => f.RuleId == "PG201").SelectMany(f => f.Quotes(text)));
    }

    public static TheoryData<string, string, int, string[]> Emoji => new()
    {
        // text, options, score, quoted
        { "New colours are in 🔥", "", 0, [] },                                  // one hype emoji is within the allowance
        { "New colours are in 🔥🔥", "", 1, ["🔥", "🔥"] },
        { "New colours 🔥 are in 💰💰", "", 2, ["🔥", "💰", "💰"] },
        { "New colours are in ⚡️⚡️", "", 1, ["⚡", "⚡"] },                       // the emoji variation selector does not hide it
        { "New colours are in 🌷🌷🌷", "", 0, [] },                                // not hype
        { "New colours are in 🔥", "\"emojiAllowance\": 0", 1, ["🔥"] },
        { "New colours are in 🔥🔥🔥", "\"emojiAllowance\": 2", 1, ["🔥", "🔥", "🔥"] },
        { "New colours are in 🔥🔥", "\"emojiWeight\": 3", 3, ["🔥", "🔥"] },
        { "New colours are in 🔥🔥", "\"emojiWeight\": 0", 0, [] },
    };

    [Theory]
    [MemberData(nameof(Emoji))]
    public void Evaluate_HypeEmojiPastTheAllowance_AddToTheScore(string text, string options, int score, string[] quotes)
    {
        var policy = Policies.Only(Rule, $$"""{ "hypeEmoji": ["🔥", "💰", "⚡"]{{(options.Length > 0 ? ", " + options : string.Empty)}} }""");

        var evaluation = Gate.Check(policy, Drafts.Post(text));

        Assert.Equal(score, evaluation.HardSellScore);
        Assert.Equal(quotes, evaluation.Findings.Where(f => f.RuleId == "PG201").SelectMany(f => f.Quotes(text)));
        Assert.Equal(score == 0 ? [] : new Dictionary<string, int> { ["emoji"] = score }, evaluation.Analysis.HardSell.Parts);
    }

    [Fact]
    public void Evaluate_HypeEmojiAndPhrases_AreQuotedInTextOrder()
    {
        const string text = "🔥🔥 Buy now 🔥";

        var finding = Gate.Check(Policy("\"hypeEmoji\": [\"🔥\"]"), Drafts.Post(text)).Single("PG201");

        Assert.Equal(["🔥", "🔥", "Buy now", "🔥"], finding.Quotes(text));
        Assert.Equal("\"🔥\" and \"Buy now\" read as a sales pitch (score 6).", finding.Message);
    }

    [Theory]
    [InlineData("""{ "exceptions": [ "gluten free", " " ] }""", "exceptions[1]: empty exception")]
    [InlineData("""{ "hypeEmoji": [ "" ] }""", "hypeEmoji[0]: empty emoji")]
    [InlineData("""{ "emojiAllowance": 51 }""", "emojiAllowance: must be between 0 and 50 (was 51)")]
    [InlineData("""{ "emojiWeight": 6 }""", "emojiWeight: must be between 0 and 5 (was 6)")]
    [InlineData("""{ "patternTimeoutMs": 0 }""", "patternTimeoutMs: must be between 1 and 1000 (was 0)")]
    [InlineData("""{ "patternTimeoutMs": 1001 }""", "patternTimeoutMs: must be between 1 and 1000 (was 1001)")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    public static TheoryData<string, bool> DigitPatterns => new()
    {
        // pattern, whether every match holds a digit
        { @"\b\d{1,3}\s?%\s?(off|discount|sale|savings)\b", true },
        { @"\b(save|saving)\s+(up\s+to\s+)?[$€£]?\s?\d+", true },
        { @"\b(only|just)\s+[$€£]\s?\d+([.,]\d{2})?", true },
        { @"[a\]\d]\d", true },           // an escaped ']' does not end the class early
        { @"\d+?x", true },                // a lazy '+' still needs one
        { @"(\d+)", false },                // inside a group: not followed
        { @"\d?x", false },                 // optional
        { @"\d*x", false },
        { @"x\d{0,2}", false },
        { @"a|\d", false },                 // an alternation at the top can match without it
        { @"\d+|b", false },
        { @"[\d]", false },                 // a class is not followed
        { @"\\d", false },                 // an escaped backslash, then the letter d
        { @"\D\D", false },
        { @"x(?#\d)\d", false },           // '#' may start a comment
        { @"[\d", false },                  // an unclosed class
        { "", false },
    };

    [Theory]
    [MemberData(nameof(DigitPatterns))]
    public void RequiresDigit_SaysTrueOnlyWhenEveryMatchHoldsADigit(string pattern, bool expected)
    {
        Assert.Equal(expected, PostGate.Rules.Rules.HardSell.SalesPhrasesOptions.RequiresDigit(pattern));
    }

    [Theory]
    [InlineData("no digits here 🌱", false)]
    [InlineData("save 20", true)]
    [InlineData("٣ items", true)]        // an Arabic-Indic digit is a \d too
    [InlineData("Ⅻ o'clock", false)]      // a Roman numeral is a number, not a decimal digit
    [InlineData("", false)]
    public void ContainsDigit_FindsWhatBackslashDMatches(string text, bool expected)
    {
        Assert.Equal(expected, PostGate.Rules.Rules.HardSell.SalesPhrasesRule.ContainsDigit(text));
        Assert.Equal(expected, System.Text.RegularExpressions.Regex.IsMatch(text, @"\d"));
    }

    [Fact]
    public void ContainsDigit_AgreesWithBackslashDOnMixedText()
    {
        // NOTE: ASCII with now and then a character beyond it, some of them digits of other scripts.
        var piece = Gen.Frequency(
            (8, Gen.Char['\u0020', '\u007E'].Where(c => c is < '0' or > '9').Select(c => c.ToString())),
            (2, Gen.OneOf("🌱", "é", "Ⅻ", "’", "٣", "５", "९", "\u00B2")),
            (1, Gen.Char.Select(c => c.ToString())));
        piece.Array[0, 60].Select(pieces => string.Concat(pieces)).Sample(text =>
            Assert.Equal(System.Text.RegularExpressions.Regex.IsMatch(text, @"\d"), PostGate.Rules.Rules.HardSell.SalesPhrasesRule.ContainsDigit(text)),
            iter: 3000);
    }

    [Theory]
    [InlineData("Save 40 dollars today, just $19.99!", 4)]        // "save 40" and "just $19.99", two points each
    [InlineData("Save forty dollars today, just nineteen!", 0)]   // no digit, so no price pattern runs
    public void Evaluate_DefaultPricePatterns_FoundWithDigitsAndSkippedWithout(string text, int discount)
    {
        var policy = PostGate.Rules.Policy.PolicyLoader.LoadFile(Repo.PathOf("rules", "policies", "default.json"));

        var evaluation = Gate.Check(policy, Drafts.Post(text));

        Assert.Equal(discount, evaluation.Analysis.HardSell.Parts.GetValueOrDefault("discount"));
    }
}
