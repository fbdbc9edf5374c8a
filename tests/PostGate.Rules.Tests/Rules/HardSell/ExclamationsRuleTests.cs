using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Rules.HardSell;

public sealed class ExclamationsRuleTests
{
    private const string Rule = "hard-sell/exclamations";

    [Fact]
    public void Evaluate_DoubleExclamation_ReportsPG203AtTheRun()
    {
        const string text = "Great news!! The export is back.";

        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post(text)).Single("PG203");

        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["!!"], finding.Quotes(text));
        Assert.Equal([10], finding.Starts());
        Assert.Equal("\"!!\" piles up exclamation marks.", finding.Message);
        Assert.Equal("\"!!\" reads as shouting. One '!' at most will be read more kindly.", finding.Coaching);
    }

    public static TheoryData<string, string, string[]> Runs => new()
    {
        // text, options, the runs reported
        { "Great news!", "{}", [] },
        { "Really?!", "{}", [] },                              // one '!' after a question mark
        { "Really!?", "{}", [] },
        { "Really!?!", "{}", ["!?!"] },                        // a mixed run with two '!'
        { "Sale！！ today", "{}", ["！！"] },                    // fullwidth
        { "Sale‼ today", "{}", ["‼"] },                        // one character, two marks
        { "¡Hola! Welcome", "{}", [] },
        { "Wow!! Yes!! Go!!", "{}", ["!!", "!!", "!!"] },
        { "Yes!!", """{ "maxRun": 2 }""", [] },                // exactly maxRun
        { "Yes!!!", """{ "maxRun": 2 }""", ["!!!"] },
        { "Great news!!", """{ "severity": "off" }""", [] },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void Evaluate_ReportsRunsLongerThanMaxRun(string text, string options, string[] expected)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(text));

        Assert.Equal(expected, evaluation.Findings.Where(f => f.RuleId == "PG203").SelectMany(f => f.Quotes(text)));
    }

    [Theory]
    [InlineData("One! Two! Three!", "{}", false)]                      // exactly maxTotal
    [InlineData("One! Two! Three! Four!", "{}", true)]
    [InlineData("One! Two! Three! Four!", """{ "maxTotal": 4 }""", false)]
    [InlineData("One! Two! Three‼", "{}", true)]                      // '‼' counts twice
    public void Evaluate_ReportsMoreThanMaxTotal(string text, string options, bool reported)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(text));

        Assert.Equal(reported, evaluation.Findings.Any(f => f.RuleId == "PG203"));
    }

    [Fact]
    public void Evaluate_TooManySingleMarks_QuotesTheCountWithoutSpans()
    {
        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post("One! Two! Three! Four!")).Single("PG203");

        Assert.Empty(finding.Spans);
        Assert.Equal(["4 '!'"], finding.Evidence);
        Assert.Equal("\"4 '!'\" piles up exclamation marks.", finding.Message);
    }

    [Theory]
    [InlineData("""{ "maxRun": 0 }""", "maxRun: must be between 1 and 10 (was 0)")]
    [InlineData("""{ "maxTotal": 51 }""", "maxTotal: must be between 1 and 50 (was 51)")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }
}
