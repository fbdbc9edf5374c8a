using PostGate.Rules.Policy;

namespace PostGate.Rules.Engine;

/// <summary>Where rules report findings; fills message and coaching templates from the policy.</summary>
public sealed class FindingSink
{
    private readonly List<Finding> _findings = [];

    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>The hard-sell score of the draft and its parts, set by the hard-sell rules.</summary>
    public HardSellAnalysis HardSell { get; set; } = HardSellAnalysis.None;

    /// <summary>The severity the policy gives a rule: its override, else the rule's default.</summary>
    public static Severity SeverityOf(RuleDescriptor descriptor, RuleOptions options) =>
        options.Severity ?? descriptor.DefaultSeverity;

    public void Report(
        RuleDescriptor descriptor,
        RuleOptions options,
        Severity severity,
        IReadOnlyList<TextSpan> spans,
        IReadOnlyList<string> evidence,
        params ReadOnlySpan<(string Name, object Value)> values)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(options);
        if (severity == Severity.Off)
        {
            return;
        }

        var message = Templates.Fill(options.Message ?? descriptor.Message, values);
        var coaching = Templates.Fill(options.Coaching ?? descriptor.Coaching, values);
        _findings.Add(new Finding(descriptor.Id, descriptor.Name, severity, message, coaching, spans, evidence)
        {
            Action = descriptor.Action,
            Mode = options.Mode ?? RuleMode.Enforce,
        });
    }
}
