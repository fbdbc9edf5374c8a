using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Rules.LinkDropping;

public sealed class ShortenerRuleTests
{
    private const string Rule = "link-dropping/shortener";

    [Fact]
    public void Evaluate_ShortenedLink_ReportsPG102AtTheLink()
    {
        const string text = "Our spring notes are up: bit.ly/notes";

        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post(text)).Single("PG102");

        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["bit.ly/notes"], finding.Quotes(text));
        Assert.Equal([25], finding.Starts());
        Assert.Equal(["bit.ly/notes"], finding.Evidence);
        Assert.Equal("\"bit.ly/notes\" is a shortened link.", finding.Message);
    }

    public static TheoryData<string, string[], string, string[]> Cases => new()
    {
        // text, attached links, options, the links reported
        { "Notes at https://bit.ly/notes", [], "{}", ["https://bit.ly/notes"] },
        { "Notes at https://www.bit.ly/notes", [], "{}", ["https://www.bit.ly/notes"] },   // "www." does not hide a shortener
        { "Notes at go.bit.ly/notes", [], "{}", ["go.bit.ly/notes"] },                    // nor does a subdomain
        { "Notes at BIT.LY/Notes", [], "{}", ["BIT.LY/Notes"] },
        { "Notes at t.co/x and amzn.to/y", [], "{}", ["t.co/x", "amzn.to/y"] },
        { "Notes at https://acme.com/notes", [], "{}", [] },
        { "Notes at notbit.ly/x", [], "{}", [] },                                         // a different domain ending in bit.ly
        { "Notes in the card", ["https://bit.ly/card"], "{}", ["https://bit.ly/card"] },  // attached links are checked too
        { "Notes in the card", ["https://acme.com/card"], "{}", [] },
        { "Notes at bit.ly/notes", [], """{ "allowed": ["bit.ly"] }""", [] },            // the brand's own short domain
        { "Notes at bit.ly/notes", [], """{ "useBuiltInList": false }""", [] },
        { "Notes at go.acme.com/n", [], """{ "domains": ["go.acme.com"] }""", ["go.acme.com/n"] },
        { "Notes at GO.ACME.COM/n", [], """{ "domains": ["Go.Acme.Com"], "useBuiltInList": false }""", ["GO.ACME.COM/n"] },
        { "Notes at bit.ly/notes", [], """{ "severity": "off" }""", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_ReportsEveryShortenedLink(string text, string[] links, string options, string[] expected)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(text, links: links));

        Assert.Equal(expected, evaluation.Findings.Where(f => f.RuleId == "PG102").SelectMany(f => f.Evidence));
    }

    [Fact]
    public void Evaluate_AttachedShortLink_HasEvidenceButNoSpan()
    {
        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post("See the card", links: ["https://bit.ly/card"])).Single("PG102");

        Assert.Empty(finding.Spans);
        Assert.Equal("\"https://bit.ly/card\" is a shortened link.", finding.Message);
    }

    [Fact]
    public void Evaluate_SeverityBlock_BlocksThePost()
    {
        var evaluation = Gate.Check(Policies.Only(Rule, """{ "severity": "block" }"""), Drafts.Post("Notes at bit.ly/notes"));

        Assert.Equal(Verdict.Block, evaluation.Verdict);
    }

    [Theory]
    [InlineData("""{ "domains": ["bit ly"] }""", "$.rules['link-dropping/shortener'].domains[0]: 'bit ly' is not a domain name")]
    [InlineData("""{ "allowed": ["localhost"] }""", "$.rules['link-dropping/shortener'].allowed[0]: 'localhost' is not a domain name")]
    [InlineData("""{ "domains": "bit.ly" }""", "$.rules['link-dropping/shortener'].domains: has the wrong type or an unknown value")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([expected], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }
}
