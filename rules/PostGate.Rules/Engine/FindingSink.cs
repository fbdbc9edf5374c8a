using PostGate.Rules.Policy;

namespace PostGate.Rules.Engine;

/// <summary>Where rules report findings, with the policy's message and coaching templates and the values that fill them.</summary>
public sealed class FindingSink
{
    private readonly List<Finding> _findings = [];

    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>The findings as a list, for walking them without an enumerator.</summary>
    internal List<Finding> FindingList => _findings;

    /// <summary>The draft's hard-sell score, set by the hard-sell rules.</summary>
    internal int HardSellScore { get; private set; }

    /// <summary>The score's parts by category (ordinal order of category), or null when nothing scored.</summary>
    internal KeyValuePair<string, int>[]? HardSellParts { get; private set; }

    /// <summary>Sets the score and its parts; the analysis shown to callers is made from them when first read.</summary>
    internal void SetHardSell(int score, KeyValuePair<string, int>[]? parts)
    {
        HardSellScore = score;
        HardSellParts = parts;
    }

    internal static HardSellAnalysis MakeHardSell(int score, KeyValuePair<string, int>[]? parts) =>
        parts is null ? HardSellAnalysis.None : new HardSellAnalysis(score, new HardSellParts(parts));

    /// <summary>The severity the policy gives a rule: its override, else the rule's default.</summary>
    public static Severity SeverityOf(RuleDescriptor descriptor, RuleOptions options) =>
        options.Severity ?? descriptor.DefaultSeverity;

    /// <summary>Empties the sink for the next evaluation on this thread.</summary>
    internal void Reset()
    {
        _findings.Clear();
        SetHardSell(0, null);
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
