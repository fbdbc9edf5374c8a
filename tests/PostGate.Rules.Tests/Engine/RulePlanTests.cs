using CsCheck;
using PostGate.Rules.Engine;
using PostGate.Rules.Policy;
using PostGate.Rules.Tests.TestSupport;
using Xunit;
using GatePolicy = PostGate.Rules.Policy.Policy;

namespace PostGate.Rules.Tests.Engine;

public sealed class RulePlanTests
{
    [Fact]
    public void Evaluate_WithBoundRules_MatchesEveryRuleCalledThroughItsInterface()
    {
        // NOTE: the default policy, one with a rule off, a rule in shadow, a rule that only warns and a lower
        // promotional score, and one with the phrases off (a rule that ran would still set the hard-sell score), each
        // against a copy of itself whose scopes have no plan (the rules called one by one).
        var tuned = Policies.Running(
            """
            "hard-sell/phrases": { "reviewAtScore": 4 },
            "hard-sell/shouting": { "severity": "off" },
            "hard-sell/exclamations": { "mode": "shadow" },
            "link-dropping/too-many-links": { "mode": "warn" },
            "link-dropping/bare-link": {},
            "link-dropping/shortener": {},
            "cadence/promotional-share": { "promotionalAtScore": 1 }
            """);
        var phrasesOff = Policies.Running(
            """
            "hard-sell/phrases": { "severity": "off" },
            "hard-sell/shouting": {},
            "cadence/promotional-share": { "promotionalAtScore": 1 }
            """);
        var policies = new[] { Policies.Default, tuned, phrasesOff }.Select(p => (Bound: p, Unbound: WithoutPlans(p))).ToArray();
        var piece = Gen.Frequency(
            (6, Gen.OneOf("limited time", "act now", "free", "BUY NOW", "SALE", "HUGE", "seed", "kits", "the", "guide")),
            (4, Gen.OneOf(" ", " ", ", ", "!", "!!!", "?", ". ")),
            (2, Gen.OneOf("https://acme.com/a?utm_source=x&utm_medium=y&utm_campaign=z&utm_term=t", "bit.ly/deal", "acme.com", "🔥", "💰")));
        var text = piece.Array[0, 25].Select(pieces => string.Concat(pieces));

        text.Sample(s =>
        {
            var draft = Drafts.Post(s);
            foreach (var (bound, unbound) in policies)
            {
                Assert.NotNull(bound.Defaults.Plan);
                Assert.Null(unbound.Defaults.Plan);
                Assert.Equal(Evaluations.Describe(Gate.Check(unbound, draft)), Evaluations.Describe(Gate.Check(bound, draft)));
            }
        }, iter: 300);
    }

    [Fact]
    public void Plan_ReadsTheSeverityOfTheOptionsAtEachEvaluation()
    {
        // NOTE: a rule that is off does not run at all: the phrases rule would otherwise still set the hard-sell score.
        var policy = PolicyLoader.LoadFile(Policies.DefaultPath);
        var draft = Drafts.Post("Limited time: act now!!! Everything must go!!!");
        var first = Gate.Check(policy, draft);
        Assert.True(first.HardSellScore > 0);
        Assert.Contains(first.Findings, f => f.RuleId == "PG203");

        policy.Rules.Single(r => r.Rule.Descriptor.Id == "PG201").Options.Severity = Severity.Off;
        policy.Rules.Single(r => r.Rule.Descriptor.Id == "PG203").Options.Severity = Severity.Off;
        var second = Gate.Check(policy, draft);

        Assert.NotNull(policy.Defaults.Plan);
        Assert.Equal(0, second.HardSellScore);
        Assert.DoesNotContain(second.Findings, f => f.RuleId is "PG201" or "PG203");
    }

    [Fact]
    public void Plan_IsKeptOnlyWhileTheScopeHoldsTheRulesItWasMadeFrom()
    {
        var scope = Policies.Default.Defaults;
        Assert.NotNull(scope.Plan);
        Assert.NotNull((scope with { AllowedDomains = new HashSet<string>(["acme.com"]) }).Plan);
        Assert.Null((scope with { Rules = [.. scope.Rules] }).Plan);

        var same = new PolicyScope(scope.Rules, scope.AllowedDomains, scope.TimeZone);
        Assert.Null(same.Plan);
        Assert.Equal(scope, same);
        Assert.Equal(scope.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(scope, scope with { Rules = [.. scope.Rules] });
    }

    /// <summary>The policy with scopes made by their public constructor, which binds nothing.</summary>
    private static GatePolicy WithoutPlans(GatePolicy policy)
    {
        static PolicyScope Unbound(PolicyScope scope) => new(scope.Rules, scope.AllowedDomains, scope.TimeZone);
        var byChannel = Enum.GetValues<Channel>().ToDictionary(c => c, c => Unbound(policy.For("no such account", c)));
        return new GatePolicy(policy.Name, policy.Version, policy.CanonicalJson, Unbound(policy.Defaults), byChannel, new Dictionary<string, IReadOnlyDictionary<Channel, PolicyScope>>());
    }
}
