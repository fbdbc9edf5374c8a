using PostGate.Rules.Engine;

namespace PostGate.Rules.Policy;

/// <summary>A loaded, validated policy: every catalog rule with its options.</summary>
public sealed class Policy
{
    internal Policy(string name, string version, string canonicalJson, IReadOnlyList<ConfiguredRule> rules)
    {
        Name = name;
        Version = version;
        CanonicalJson = canonicalJson;
        Rules = rules;
    }

    public string Name { get; }

    /// <summary>SHA-256 of the canonical policy (sorted keys, no comments or whitespace), lower-case hex.</summary>
    public string Version { get; }

    /// <summary>The policy as canonical JSON, the bytes <see cref="Version"/> hashes.</summary>
    public string CanonicalJson { get; }

    public IReadOnlyList<ConfiguredRule> Rules { get; }
}

/// <summary>A rule and the options a policy gives it.</summary>
public sealed record ConfiguredRule(IRule Rule, RuleOptions Options)
{
    public Severity Severity => FindingSink.SeverityOf(Rule.Descriptor, Options);
}
