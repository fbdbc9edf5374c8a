using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Rules.LinkDropping;

public sealed class TrackingParamsRuleTests
{
    private const string Rule = "link-dropping/tracking-params";

    [Fact]
    public void Evaluate_FourTrackingParameters_ReportsPG105AtTheLink()
    {
        const string link = "https://acme.com/spring?utm_source=x&utm_medium=social&utm_campaign=spring&utm_content=hero";
        const string text = "Our spring notes are up: " + link;

        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post(text)).Single("PG105");

        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal([link], finding.Quotes(text));
        Assert.Equal([25], finding.Starts());
        Assert.Equal([link], finding.Evidence);
        Assert.Equal(
            $"\"{link}\" carries 4 tracking parameters (utm_source, utm_medium, utm_campaign, utm_content); the policy allows 3.",
            finding.Message);
        Assert.StartsWith("This link drags a long tracking tail (utm_source, utm_medium, utm_campaign, utm_content).", finding.Coaching, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string[]> Cases => new()
    {
        // link in the post, options, the tracking parameters reported (empty: no finding)
        { "https://acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z", "{}", [] },                        // three: at the limit
        { "https://acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&fbclid=1", "{}", ["utm_source", "utm_medium", "utm_campaign", "fbclid"] },
        { "https://acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_whatever=w", "{}", ["utm_source", "utm_medium", "utm_campaign", "utm_whatever"] }, // utm_* is a prefix
        { "https://acme.com/a?UTM_Source=x&Utm_Medium=y&utm_campaign=z&GCLID=1", "{}", ["UTM_Source", "Utm_Medium", "utm_campaign", "GCLID"] }, // names in any case
        { "https://acme.com/a?utm=1&utmost=2&page=3&id=4&ref=5", "{}", [] },                                // "utm" and "utmost" are not utm_*
        { "https://acme.com/a?page=1&sort=new&size=m&colour=red", "{}", [] },                                // parameters, none of them tracking
        { "https://acme.com/a#utm_source=x&utm_medium=y&utm_campaign=z&utm_term=w", "{}", [] },              // a fragment is not a query
        { "https://acme.com/a?utm_source=x&utm_medium=y#utm_campaign=z&utm_term=w", "{}", [] },              // nor is the fragment after one
        { "acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_term=w", "{}", ["utm_source", "utm_medium", "utm_campaign", "utm_term"] }, // no scheme needed
        { "https://acme.com/a?utm_source=x", """{ "maxTrackingParams": 0 }""", ["utm_source"] },
        { "https://acme.com/a?utm_source=x&ref=1&utm_medium=y", """{ "maxTrackingParams": 0, "parameters": ["ref"] }""", ["ref"] }, // the list replaces the default one
        { "https://acme.com/a?cmp_a=1&cmp_b=2", """{ "maxTrackingParams": 1, "parameters": ["cmp_*"] }""", ["cmp_a", "cmp_b"] },
        { "https://acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_term=w", """{ "severity": "off" }""", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_CountsTrackingParametersPerLink(string link, string options, string[] reported)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post("Our spring notes are up: " + link));

        var finding = evaluation.Findings.SingleOrDefault(f => f.RuleId == "PG105");
        Assert.Equal(reported, finding is null ? [] : NamesIn(finding));
    }

    [Fact]
    public void Evaluate_TwoTaggedLinks_ReportsEachAtItsOwnSpan()
    {
        const string first = "https://acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_term=w";
        const string second = "https://acme.com/b?fbclid=1&gclid=2&msclkid=3&yclid=4";
        const string text = $"Notes {first} and sizes {second}";

        var findings = Gate.Check(Policies.Only(Rule), Drafts.Post(text)).Findings;

        Assert.Equal([[first], [second]], findings.Select(f => f.Quotes(text)));
    }

    [Fact]
    public void Evaluate_AttachedLink_HasEvidenceButNoSpan()
    {
        const string card = "https://acme.com/card?utm_source=x&utm_medium=y&utm_campaign=z&utm_id=1";

        var finding = Gate.Check(Policies.Only(Rule), Drafts.Post("Our spring notes are up", links: [card])).Single("PG105");

        Assert.Empty(finding.Spans);
        Assert.Equal([card], finding.Evidence);
    }

    [Fact]
    public void Evaluate_LinkOnAnAllowedDomain_IsNotChecked()
    {
        var policy = Policies.Only(Rule, scope: """ "allowedDomains": ["acme.com"] """);

        var evaluation = Gate.Check(policy, Drafts.Post("Notes: https://help.acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_term=w"));

        Assert.Empty(evaluation.Findings);
    }

    [Theory]
    [InlineData("""{ "maxTrackingParams": -1 }""", "maxTrackingParams: must be between 0 and 50 (was -1)")]
    [InlineData("""{ "maxTrackingParams": 51 }""", "maxTrackingParams: must be between 0 and 50 (was 51)")]
    [InlineData("""{ "parameters": ["fbclid", " "] }""", "parameters[1]: must name a parameter or a prefix ending in '*'")]
    [InlineData("""{ "parameters": ["*"] }""", "parameters[0]: must name a parameter or a prefix ending in '*'")] // a bare '*' would count every parameter
    [InlineData("""{ "parameters": "utm_*" }""", "parameters: has the wrong type or an unknown value")]
    public void Load_InvalidOptions_NamesThePath(string options, string expected)
    {
        Assert.Equal([$"$.rules['{Rule}'].{expected}"], Policies.ErrorsOf($$"""{ "name": "t", "rules": { "{{Rule}}": {{options}} } }"""));
    }

    /// <summary>The parameter names a finding lists: the message's "({params})", which no link in these tests contains.</summary>
    private static string[] NamesIn(Finding finding) => finding.Message.Split('(', ')')[1].Split(", ");
}
