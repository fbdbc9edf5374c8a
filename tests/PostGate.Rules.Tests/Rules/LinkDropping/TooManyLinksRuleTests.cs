using PostGate.Rules.Engine;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Rules.LinkDropping;

public sealed class TooManyLinksRuleTests
{
    private const string Rule = "link-dropping/too-many-links";

    [Fact]
    public void Evaluate_TwoLinksWithMaxOne_ReportsPG101AtSecondLink()
    {
        const string text = "Spring notes: https://acme.com/notes and the video https://acme.com/video";

        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post(text));

        var finding = evaluation.Single("PG101");
        Assert.Equal(Severity.Coach, finding.Severity);
        Assert.Equal(["https://acme.com/video"], finding.Quotes(text));
        Assert.Equal([51], finding.Starts());
        Assert.Equal(["https://acme.com/notes", "https://acme.com/video"], finding.Evidence);
        Assert.Equal("This post carries 2 links (\"https://acme.com/notes\" and \"https://acme.com/video\"); the policy allows 1.", finding.Message);
        Assert.Equal(
            "2 links ask readers to leave in 2 directions. Keep the one that matters most, and say in the post why it is worth their time.",
            finding.Coaching);
        Assert.Equal(Verdict.Coach, evaluation.Verdict);
    }

    public static TheoryData<string, string[], string, Severity?> Cases => new()
    {
        // text, attached links, options, expected severity (null: no finding)
        { "Notes at https://acme.com/notes", [], "{}", null },                                    // exactly at the limit
        { "No links here at all", [], "{}", null },
        { "Notes at https://acme.com/notes", ["https://acme.com/card"], "{}", Severity.Coach },   // an attached link counts
        { "Notes at https://acme.com/notes", ["HTTPS://ACME.COM/NOTES"], "{}", null },            // the card repeats the text's link
        { "No link in the text", ["https://acme.com/a", "https://acme.com/b"], "{}", Severity.Coach },
        { "a.com b.com c.com", [], "{}", Severity.Coach },                                        // three: at reviewAbove, still coached
        { "a.com b.com c.com d.com", [], "{}", Severity.Review },                                 // four: above reviewAbove
        { "a.com b.com c.com", [], """{ "maxLinks": 3 }""", null },
        { "Notes at https://acme.com/notes", [], """{ "maxLinks": 0, "reviewAbove": 0 }""", Severity.Review },
        { "a.com b.com", [], """{ "severity": "block" }""", Severity.Block },                   // a stricter severity is not lowered
        { "a.com b.com c.com d.com", [], """{ "severity": "block" }""", Severity.Block },
        { "a.com b.com", [], """{ "severity": "review" }""", Severity.Review },
        { "a.com b.com c.com d.com", [], """{ "severity": "off" }""", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_CountsTextAndAttachedLinks(string text, string[] links, string options, Severity? expected)
    {
        var evaluation = Gate.Check(Policies.Only(Rule, options), Drafts.Post(text, links: links));

        Assert.Equal(expected, evaluation.Findings.SingleOrDefault(f => f.RuleId == "PG101")?.Severity);
    }

    [Fact]
    public void Evaluate_AttachedLinksOverTheLimit_HaveNoSpanButAreEvidence()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Post("Spring notes are out", links: ["https://acme.com/a", "https://acme.com/b"]));

        var finding = evaluation.Single("PG101");
        Assert.Empty(finding.Spans);
        Assert.Equal(["https://acme.com/a", "https://acme.com/b"], finding.Evidence);
    }

    [Fact]
    public void Evaluate_ReplyWithTwoLinks_IsStillReported()
    {
        var evaluation = Gate.Check(Policies.Only(Rule), Drafts.Reply("Both guides: acme.com/a and acme.com/b"));

        Assert.Equal(Severity.Coach, evaluation.Single("PG101").Severity);
    }

    [Fact]
    public void Evaluate_MessageOverride_FillsPlaceholders()
    {
        var policy = Policies.Only(Rule, """{ "message": "{count} links, {max} allowed: {quoted}" }""");

        var evaluation = Gate.Check(policy, Drafts.Post("acme.com/a acme.io/b"));

        Assert.Equal("2 links, 1 allowed: \"acme.com/a\" and \"acme.io/b\"", evaluation.Single("PG101").Message);
    }
}
