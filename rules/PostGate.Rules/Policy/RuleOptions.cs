// NOTE: options use setters, not init: System.Text.Json source generation resets init-only members that the JSON leaves out.
using System.Text.Json.Serialization;
using PostGate.Rules.Engine;

namespace PostGate.Rules.Policy;

/// <summary>Options every rule has. Rule options derive from this record.</summary>
public abstract record RuleOptions
{
    /// <summary>Overrides the rule's default severity; <c>off</c> switches the rule off.</summary>
    public Severity? Severity { get; set; }

    /// <summary>
    /// How findings count: <c>enforce</c> (default) sets the verdict, <c>warn</c> shows the finding without
    /// touching the verdict, <c>shadow</c> evaluates and logs it but shows nothing, for rolling out a rule safely.
    /// </summary>
    public RuleMode? Mode { get; set; }

    /// <summary>Replaces the rule's message template.</summary>
    public string? Message { get; set; }

    /// <summary>Replaces the rule's coaching template.</summary>
    public string? Coaching { get; set; }

    /// <summary>Checks the options; each problem names the member (camelCase) and the reason.</summary>
    public virtual IEnumerable<(string Member, string Reason)> Validate() => [];

    /// <summary>Builds what the rule needs at check time (matchers, sets). Runs once, after validation.</summary>
    public virtual void Prepare()
    {
    }

    [JsonIgnore]
    internal virtual IReadOnlyCollection<string> Placeholders => [];

    protected static IEnumerable<(string Member, string Reason)> Range(string member, double value, double min, double max) =>
        value < min || value > max || double.IsNaN(value)
            ? [(member, $"must be between {min} and {max} (was {value})")]
            : [];
}
