using CsCheck;
using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Rules.HardSell;

public sealed class ShoutingRuleTests
{
    private const string Rule = "hard-sell/shouting";
    private const string LongPost = "BUY NOW before Friday, when the spring sale ends for everyone";

    [Fact]
    public void Evaluate_TwoCapitalWordsInARow_ReportsPG202AtEachWord()
    {
        const string text = "BUY NOW before Friday";

        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post(text)).Single("PG202");

        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["BUY", "NOW"], finding.Quotes(text));
        Assert.Equal([0, 4], finding.Starts());
        Assert.Equal("2 words are in capitals: \"BUY\" and \"NOW\".", finding.Message);
    }

    public static TheoryData<string, string, string[]> Cases => new()
    {
        // text, options, the capital words reported (empty: no finding)
        { LongPost, "{}", ["BUY", "NOW"] },                                    // a run of two
        { "We LOVE our NEW office", "{}", ["LOVE", "NEW"] },                  // 2 of 5 words: over the 30% share
        { "We LOVE our office and the NEW team here today", "{}", [] },       // 2 of 10 words, not in a row
        { "This is HUGE for all of us", "{}", [] },                           // one capital word is emphasis
        { "Our FAQ and API docs are UK ready", "{}", [] },                    // acronyms are not shouting
        { "I AM OK", "{}", [] },                                              // single letters do not count
        { "DON'T STOP now", "{}", ["DON'T", "STOP"] },                        // an apostrophe stays inside the word
        { "ＢＵＹ ＮＯＷ before Friday", "{}", ["ＢＵＹ", "ＮＯＷ"] },
        { "Read HTTPS://ACME.COM/NOTES today and tell us", "{}", [] },        // a link is not shouting
        { "Hello, friends", "{}", [] },
        { LongPost, """{ "minRun": 3 }""", [] },                              // 2 of 11 words is under the share
        { LongPost, """{ "minCapsWords": 3 }""", [] },
        { LongPost, """{ "acronyms": ["BUY", "NOW"] }""", [] },
        { "We LOVE our office and the NEW team here today", """{ "maxCapsShare": 0.2 }""", ["LOVE", "NEW"] }, // exactly the share
        { LongPost, """{ "severity": "off" }""", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_ReportsRunsAndSharesOfCapitalWords(string text, string options, string[] expected)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(text));

        Assert.Equal(expected, evaluation.Findings.Where(f => f.RuleId == "PG202").SelectMany(f => f.Quotes(text)));
    }

    [Fact]
    public void Evaluate_SeverityReview_HoldsThePost()
    {
        var evaluation = Gate.Check(Policies.Only(Rule, """{ "severity": "review" }"""), Drafts.Post(LongPost));

        Assert.Equal(Verdict.Review, evaluation.Verdict);
    }

    [Theory]
    [InlineData("""{ "minRun": 1 }""", "minRun: must be between 2 and 20 (was 1)")]
    [InlineData("""{ "maxCapsShare": 2 }""", "maxCapsShare: must be between 0 and 1 (was 2)")]
    [InlineData("""{ "minCapsWords": 0 }""", "minCapsWords: must be between 1 and 50 (was 0)")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    [Fact]
    public void CapitalPairs_NeverCountsFewerThanTheWordsInCapitals()
    {
        // NOTE: the rule skips a post with fewer pairs than minCapsWords, so the pairs must bound the capital words.
        var piece = Gen.Frequency(
            (4, Gen.OneOf("BUY", "NOW", "A", "I'M", "U2B", "ÉTÉ", "Ok", "OK", "mY", "XL3", "4K", "ＢＵＹ", "ΑΒ")),
            (3, Gen.OneOf(" ", "  ", ", ", "!", "'", "-", "\n")),
            (2, Gen.Char['A', 'Z'].Select(c => c.ToString())),
            (1, Gen.Char.Select(c => c.ToString())));
        var text = piece.Array[0, 30].Select(pieces => string.Concat(pieces));

        text.Sample(t => Assert.InRange(CapsWords(t), 0, PostGate.Rules.Rules.HardSell.ShoutingRule.CapitalPairs(t, int.MaxValue)), iter: 3000);
    }

    [Fact]
    public void CapitalPairs_EqualsEveryPositionCheckedOneByOne()
    {
        // NOTE: texts longer than a vector of thirty-two characters, capitals and characters beyond ASCII anywhere in
        // one, and a count asked for up to some number of pairs.
        var piece = Gen.Frequency(
            (4, Gen.OneOf("BUY", "NOW", "A", "I'M", "U2B", "ÉTÉ", "Ok", "OK", "mY", "XL3", "4K", "ＢＵＹ", "ΑΒ", "S'3T")),
            (3, Gen.OneOf(" ", "  ", ", ", "!", "'", "-", "\n", "plain words here")),
            (2, Gen.Char['A', 'Z'].Select(c => c.ToString())),
            (1, Gen.Char.Select(c => c.ToString())));
        var text = piece.Array[0, 80].Select(pieces => string.Concat(pieces));

        Gen.Select(text, Gen.Int[0, 40]).Sample((t, needed) =>
        {
            var pairs = 0;
            for (var i = 0; i < t.Length; i++)
            {
                var j = i + 1;
                while (j < t.Length && (char.IsDigit(t[j]) || t[j] == '\''))
                {
                    j++;
                }

                pairs += char.IsUpper(t[i]) && j < t.Length && char.IsUpper(t[j]) ? 1 : 0;
            }

            Assert.Equal(Math.Min(pairs, needed), PostGate.Rules.Rules.HardSell.ShoutingRule.CapitalPairs(t, needed));
        }, iter: 3000);
    }

    /// <summary>Words of two letters or more whose letters are all capitals, split as the rule splits them.</summary>
    private static int CapsWords(string text)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            int letters = 0, upper = 0;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '\''))
            {
                if (char.IsLetter(text[i]))
                {
                    letters++;
                    upper += char.IsUpper(text[i]) ? 1 : 0;
                }

                i++;
            }

            count += letters >= 2 && upper == letters ? 1 : 0;
        }

        return count;
    }
}
