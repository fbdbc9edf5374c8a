using PostGate.Rules.Policy;

namespace PostGate.Rules.Engine;

/// <summary>Where rules report findings, with the policy's message and coaching templates and the values that fill them.</summary>
public sealed class FindingSink
{
    private readonly List<Finding> _findings = [];

    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>The findings as a list, for walking them without an enumerator.</summary>
    internal List<Finding> FindingList => _findings;

    /// <summary>The hard-sell score of the draft and its parts, set by the hard-sell rules.</summary>
    public HardSellAnalysis HardSell { get; set; } = HardSellAnalysis.None;

    /// <summary>The severity the policy gives a rule: its override, else the rule's default.</summary>
    public static Severity SeverityOf(RuleDescriptor descriptor, RuleOptions options) =>
        options.Severity ?? descriptor.DefaultSeverity;

    /// <summary>Empties the sink for the next evaluation on this thread.</summary>
    internal void Reset()
    {
        _findings.Clear();
        HardSell = HardSellAnalysis.None;
    }

    public void Report(
        RuleDescriptor descriptor,
        RuleOptions options,
        Severity severity,
        IReadOnlyList<TextSpan> spans,
        IReadOnlyList<string> evidence,
        params ReadOnlySpan<(string Name, TemplateValue Value)> values)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(options);
        if (severity == Severity.Off)
        {
            return;
        }

        _findings.Add(new Finding(
            descriptor.Id, descriptor.Name, severity, options.Message ?? descriptor.Message, options.Coaching ?? descriptor.Coaching,
            values.ToArray(), spans, evidence)
        {
            Action = descriptor.Action,
            Mode = options.Mode ?? RuleMode.Enforce,
        });
    }
}
