using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Rules.LinkDropping;

public sealed class LinkInReplyRuleTests
{
    private const string Rule = "link-dropping/link-in-reply";
    private const string Question = "How do I export my reports to a spreadsheet?";

    [Fact]
    public void Evaluate_LinkAsTheAnswerToAQuestion_ReportsPG107AtTheLink()
    {
        const string text = "See https://acme.com/help/export";

        var finding = Gate.Check(Policies.Only(Rule), Answer(text)).Single("PG107");

        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["https://acme.com/help/export"], finding.Quotes(text));
        Assert.Equal([4], finding.Starts());
        Assert.Equal(["https://acme.com/help/export"], finding.Evidence);
        Assert.Equal("Apart from \"https://acme.com/help/export\", this reply to a question has 1 of the 8 words an answer needs.", finding.Message);
        Assert.Equal(
            "They asked a question; answer it here first. Add the link only if they need more than the answer.",
            finding.Coaching);
    }

    public static TheoryData<Draft, string, bool> Cases => new()
    {
        // draft, options, reported
        { Answer("Here you go: https://acme.com/help/export"), "{}", true },                                                    // three words
        { Answer("Open Reports, pick Export and then choose CSV: https://acme.com/help/export"), "{}", false },                 // eight words: an answer
        { Answer("Open Reports, pick Export and choose CSV: https://acme.com/help/export"), "{}", true },                       // seven words
        { Answer("Open Reports, pick Export and choose CSV. Thanks!"), "{}", false },                                            // an answer without a link
        { Answer("Here you go:", links: ["https://acme.com/help/export"]), "{}", true },                                        // an attached link is a link too
        { Answer("Here you go: https://acme.com/help/export", question: "I love the new export button."), "{}", false },         // not a question
        { Answer("Here you go: https://acme.com/help/export", question: "エクスポートの方法は？"), "{}", true },                   // a full-width question mark
        { Answer("Here you go: https://acme.com/help/export", question: null), "{}", false },                                   // the scheduler did not send the message
        { Drafts.Post("Here you go: https://acme.com/help/export") with { InReplyToText = Question }, "{}", false },              // not a reply: an announcement
        { Answer("Here you go: https://acme.com/help/export"), """{ "minAnswerWords": 3 }""", false },
        { Answer("Here you go: https://acme.com/help/export"), """{ "minAnswerWords": 0 }""", false },                          // 0: any reply is answer enough
        { Answer("Here you go: https://acme.com/help/export"), """{ "severity": "off" }""", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_CountsTheWordsAReplyWithALinkGivesOfItsOwn(Draft draft, string options, bool reported)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), draft);

        Assert.Equal(reported, evaluation.Findings.Any(f => f.RuleId == "PG107"));
    }

    [Fact]
    public void Evaluate_LinkOnAnAllowedDomain_IsNotALinkDrop()
    {
        var policy = Policies.Only(Rule, scope: """ "allowedDomains": ["acme.com"] """);

        var evaluation = Gate.Check(policy, Answer("See https://help.acme.com/export"));

        Assert.Empty(evaluation.Findings);
    }

    [Fact]
    public void Evaluate_AllowedLinkBesideAnotherLink_IsNotCountedAsWords()
    {
        // NOTE: "help.acme.com/export" is left out of the words even though the link rules do not count it.
        const string text = "Try help.acme.com/export or https://bit.ly/export";
        var policy = Policies.Only(Rule, scope: """ "allowedDomains": ["acme.com"] """);

        var finding = Gate.Check(policy, Answer(text)).Single("PG107");

        Assert.Equal(["https://bit.ly/export"], finding.Quotes(text));
        Assert.Contains("has 2 of the 8 words", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "minAnswerWords": -1 }""", "minAnswerWords: must be between 0 and 100 (was -1)")]
    [InlineData("""{ "minAnswerWords": 101 }""", "minAnswerWords: must be between 0 and 100 (was 101)")]
    [InlineData("""{ "coaching": "Answer in {min} words, not {count}." }""", "coaching: unknown placeholder {count}; this rule offers {quoted}, {words}, {min}")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    /// <summary>A reply to the customer message <paramref name="question"/>.</summary>
    private static Draft Answer(string text, IReadOnlyList<string>? links = null, string? question = Question) =>
        Drafts.Reply(text, links) with { InReplyToText = question };
}
