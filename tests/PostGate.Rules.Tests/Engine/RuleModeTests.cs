using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Rules.HardSell;
using PostGate.Rules.Rules.LinkDropping;
using PostGate.Rules.Tests.TestSupport;
using Xunit;

namespace PostGate.Rules.Tests.Engine;

public sealed class RuleModeTests
{
    // NOTE: bit.ly makes PG102 and "!!!" makes PG203; both rules block here so the mode is all that differs.
    private const string Text = "Our spring notes are up!!! bit.ly/notes";

    public static TheoryData<string, string, Verdict, string[], string[]> Modes => new()
    {
        // mode of PG102, mode of PG203, verdict, findings shown, shadow findings
        { "enforce", "enforce", Verdict.Block, ["PG102", "PG203"], [] },
        { "warn", "enforce", Verdict.Block, ["PG102", "PG203"], [] },
        { "warn", "warn", Verdict.Allow, ["PG102", "PG203"], [] },                // shown, verdict untouched
        { "shadow", "enforce", Verdict.Block, ["PG203"], ["PG102"] },
        { "shadow", "shadow", Verdict.Allow, [], ["PG102", "PG203"] },            // logged only
        { "shadow", "warn", Verdict.Allow, ["PG203"], ["PG102"] },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Evaluate_Mode_DecidesWhereFindingsGoAndWhetherTheyCount(string shortener, string exclamations, Verdict verdict, string[] shown, string[] shadow)
    {
        var policy = Policies.Running($$"""
            "link-dropping/shortener": { "severity": "block", "mode": "{{shortener}}" },
            "hard-sell/exclamations": { "severity": "block", "mode": "{{exclamations}}" }
            """);

        var evaluation = Gate.Check(policy, Drafts.Post(Text));

        Assert.Equal(verdict, evaluation.Verdict);
        Assert.Equal(shown, evaluation.Findings.Select(f => f.RuleId));
        Assert.Equal(shadow, evaluation.ShadowFindings.Select(f => f.RuleId));
    }

    [Theory]
    [InlineData("enforce", RuleMode.Enforce)]
    [InlineData("warn", RuleMode.Warn)]
    [InlineData("shadow", RuleMode.Shadow)]
    [InlineData(null, RuleMode.Enforce)]
    public void Evaluate_FindingCarriesItsRulesMode(string? mode, RuleMode expected)
    {
        var options = mode is null ? "{}" : $$"""{ "mode": "{{mode}}" }""";

        var evaluation = Gate.Check(Policies.Only("link-dropping/shortener", options), Drafts.Post(Text));

        Assert.Equal(expected, evaluation.Findings.Concat(evaluation.ShadowFindings).Single().Mode);
    }

    [Fact]
    public void Evaluate_WarnFinding_KeepsItsSeverityAndComesAfterEnforcedOnesInTheSummary()
    {
        var policy = Policies.Running("""
            "link-dropping/shortener": { "severity": "block", "mode": "warn" },
            "hard-sell/exclamations": { "severity": "coach" }
            """);

        var evaluation = Gate.Check(policy, Drafts.Post(Text));

        Assert.Equal(Verdict.Coach, evaluation.Verdict);
        Assert.Equal(Severity.Block, evaluation.Single("PG102").Severity);
        Assert.Equal([ExclamationsRule.Definition.Action, ShortenerRule.Definition.Action], evaluation.Summary);
    }

    [Fact]
    public void Evaluate_ShadowFinding_StaysOutOfTheSummary()
    {
        var policy = Policies.Running("""
            "link-dropping/shortener": { "severity": "block", "mode": "shadow" },
            "hard-sell/exclamations": { "severity": "coach" }
            """);

        var evaluation = Gate.Check(policy, Drafts.Post(Text));

        Assert.Equal([ExclamationsRule.Definition.Action], evaluation.Summary);
        Assert.Equal(RuleMode.Shadow, Assert.Single(evaluation.ShadowFindings).Mode);
    }

    [Fact]
    public void Evaluate_ShadowHardSell_StillScoresThePost()
    {
        // NOTE: a rule in shadow mode runs in full; only its findings are kept out of sight.
        var policy = Policies.Running("""
            "hard-sell/phrases": { "mode": "shadow", "phrases": [ { "text": "buy now", "weight": 4 } ] }
            """);

        var evaluation = Gate.Check(policy, Drafts.Post("Buy now: the spring range is in."));

        Assert.Equal(Verdict.Allow, evaluation.Verdict);
        Assert.Empty(evaluation.Findings);
        Assert.Equal(4, evaluation.HardSellScore);
        Assert.Equal("PG201", Assert.Single(evaluation.ShadowFindings).RuleId);
    }

    [Fact]
    public void Evaluate_ModeOffSeverity_RunsNothing()
    {
        var evaluation = Gate.Check(Policies.Only("link-dropping/shortener", """{ "severity": "off", "mode": "shadow" }"""), Drafts.Post(Text));

        Assert.Empty(evaluation.Findings);
        Assert.Empty(evaluation.ShadowFindings);
    }

    [Fact]
    public void Mode_CanBeSetPerAccount()
    {
        var policy = PolicyLoader.Load("""
            {
              "name": "t",
              "rules": { "link-dropping/shortener": { "severity": "block" } },
              "accounts": { "acme": { "rules": { "link-dropping/shortener": { "mode": "shadow" } } } }
            }
            """);

        var acme = Gate.Check(policy, Drafts.Post(Text) with { AccountId = "acme" });
        var others = Gate.Check(policy, Drafts.Post(Text));

        Assert.Contains(acme.ShadowFindings, f => f.RuleId == "PG102");
        Assert.DoesNotContain(acme.Findings, f => f.RuleId == "PG102");
        Assert.Equal(Verdict.Block, others.Verdict);
    }

    [Theory]
    [InlineData("\"loud\"", "has the wrong type or an unknown value")]
    [InlineData("true", "has the wrong type or an unknown value")]
    [InlineData("1", "must be \"enforce\", \"warn\" or \"shadow\"")]              // the enum converter reads numbers, which name no mode
    [InlineData("7", "must be \"enforce\", \"warn\" or \"shadow\"")]
    [InlineData("\"2\"", "must be \"enforce\", \"warn\" or \"shadow\"")]
    [InlineData("\"shadow, warn\"", "must be \"enforce\", \"warn\" or \"shadow\"")] // and flag lists
    [InlineData("\"warn \"", "must be \"enforce\", \"warn\" or \"shadow\"")]
    public void Load_UnknownMode_NamesThePath(string mode, string reason)
    {
        var errors = Policies.ErrorsOf($$"""{ "name": "t", "rules": { "link-dropping/shortener": { "mode": {{mode}} } } }""");

        Assert.Equal([$"$.rules['link-dropping/shortener'].mode: {reason}"], errors);
    }

    [Theory]
    [InlineData("null", RuleMode.Enforce)]
    [InlineData("\"Warn\"", RuleMode.Warn)]                                          // names are read in any case, like severities
    public void Load_Mode_NullOrAnyCase_IsRead(string mode, RuleMode expected)
    {
        var policy = PolicyLoader.Load($$"""{ "name": "t", "rules": { "link-dropping/shortener": { "mode": {{mode}} } } }""");

        Assert.Equal(expected, policy.Rules.Single(r => r.Rule is ShortenerRule).Options.Mode ?? RuleMode.Enforce);
    }

    [Theory]
    [InlineData(RuleMode.Enforce, "enforce")]
    [InlineData(RuleMode.Warn, "warn")]
    [InlineData(RuleMode.Shadow, "shadow")]
    public void ToWire_NamesEachMode(RuleMode mode, string wire)
    {
        Assert.Equal(wire, mode.ToWire());
    }
}
