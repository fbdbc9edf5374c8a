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

    /// <summary>Reports a finding whose evidence <paramref name="format"/> writes from <paramref name="values"/> when first read.</summary>
    public void Report<TValues>(FindingFormat<TValues> format, RuleOptions options, Severity severity, IReadOnlyList<TextSpan> spans, TValues values)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (format.Evidence is null)
        {
            throw new ArgumentException($"The format of {format.Descriptor.Id} writes no evidence; the rule has to give it.", nameof(format));
        }

        Add(format, options, severity, spans, null, values);
    }

    /// <summary>Reports a finding with the evidence the rule gives.</summary>
    public void Report<TValues>(
        FindingFormat<TValues> format, RuleOptions options, Severity severity, IReadOnlyList<TextSpan> spans, IReadOnlyList<string> evidence, TValues values)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(evidence);
        Add(format, options, severity, spans, evidence, values);
    }

    private void Add<TValues>(
        FindingFormat<TValues> format, RuleOptions options, Severity severity, IReadOnlyList<TextSpan> spans, IReadOnlyList<string>? evidence, TValues values)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(spans);
        if (severity == Severity.Off)
        {
            return;
        }

        var descriptor = format.Descriptor;
        _findings.Add(new Finding<TValues>(
            format,
            severity,
            options.Mode ?? RuleMode.Enforce,
            options.Message ?? descriptor.Message,
            options.Coaching ?? descriptor.Coaching,
            spans,
            evidence,
            values));
    }
}
