using PostGate.Rules.Engine;

namespace PostGate.Rules.Policy;

/// <summary>A loaded, validated policy: every catalog rule with its options.</summary>
public sealed class Policy
{
    private readonly IReadOnlyDictionary<Channel, PolicyScope> _byChannel;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<Channel, PolicyScope>> _byAccount;

    internal Policy(
        string name,
        string version,
        string canonicalJson,
        PolicyScope defaults,
        IReadOnlyDictionary<Channel, PolicyScope> byChannel,
        IReadOnlyDictionary<string, IReadOnlyDictionary<Channel, PolicyScope>> byAccount)
    {
        Name = name;
        Version = version;
        CanonicalJson = canonicalJson;
        Defaults = defaults;
        _byChannel = byChannel;
        _byAccount = byAccount;
    }

    public string Name { get; }

    /// <summary>SHA-256 of the canonical policy (sorted keys, no comments or whitespace), lower-case hex.</summary>
    public string Version { get; }

    /// <summary>The policy as canonical JSON, the bytes <see cref="Version"/> hashes.</summary>
    public string CanonicalJson { get; }

    /// <summary>The rules as the policy sets them before any channel or account override.</summary>
    public PolicyScope Defaults { get; }

    public IReadOnlyList<ConfiguredRule> Rules => Defaults.Rules;

    /// <summary>Accounts with overrides of their own.</summary>
    public IEnumerable<string> Accounts => _byAccount.Keys;

    /// <summary>The rules, allowed domains and time zone that apply to one account posting on one channel.</summary>
    public PolicyScope For(string accountId, Channel channel) =>
        _byAccount.TryGetValue(accountId, out var perChannel) ? perChannel[channel] : _byChannel[channel];
}

/// <summary>What a policy says for one account on one channel, overrides applied.</summary>
public sealed record PolicyScope(IReadOnlyList<ConfiguredRule> Rules, IReadOnlySet<string> AllowedDomains, TimeZoneInfo TimeZone)
{
    private RulePlan? _plan;

    /// <summary>
    /// The rules bound to their options, when the scope was made with them (<see cref="WithPlan"/>) and its
    /// <see cref="Rules"/> are still that list; else null.
    /// </summary>
    internal RulePlan? Plan => _plan is { } plan && ReferenceEquals(plan.Rules, Rules) ? plan : null;

    /// <summary>A scope whose rules are bound once, here; <paramref name="rules"/> must not change afterwards.</summary>
    internal static PolicyScope WithPlan(IReadOnlyList<ConfiguredRule> rules, IReadOnlySet<string> allowedDomains, TimeZoneInfo timeZone) =>
        new(rules, allowedDomains, timeZone) { _plan = new RulePlan(rules) };

    // NOTE: the plan is made from the rules, so scopes compare by their three members alone.
    public bool Equals(PolicyScope? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && EqualityComparer<IReadOnlyList<ConfiguredRule>>.Default.Equals(Rules, other.Rules)
            && EqualityComparer<IReadOnlySet<string>>.Default.Equals(AllowedDomains, other.AllowedDomains)
            && EqualityComparer<TimeZoneInfo>.Default.Equals(TimeZone, other.TimeZone));

    public override int GetHashCode() => HashCode.Combine(Rules, AllowedDomains, TimeZone);
}

/// <summary>A rule and the options a policy gives it.</summary>
public sealed record ConfiguredRule(IRule Rule, RuleOptions Options)
{
    public Severity Severity => FindingSink.SeverityOf(Rule.Descriptor, Options);
}
