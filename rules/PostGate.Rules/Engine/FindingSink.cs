using PostGate.Rules.Policy;

namespace PostGate.Rules.Engine;

/// <summary>Where rules report findings, with the policy's message and coaching templates and the values that fill them.</summary>
public sealed class FindingSink
{
    private readonly List<Finding> _findings = [];

    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>The findings as a list, for walking them without an enumerator.</summary>
    internal List<Finding> FindingList => _findings;

    private HardSellAnalysis? _hardSell;

    /// <summary>The hard-sell score of the draft and its parts, set by the hard-sell rules.</summary>
    public HardSellAnalysis HardSell
    {
        get => _hardSell ??= MakeHardSell(HardSellScore, HardSellParts);
        set
        {
            _hardSell = value;
            HardSellScore = value.Score;
            HardSellParts = null;
        }
    }

    /// <summary>The score of <see cref="HardSell"/>, read without putting the analysis together.</summary>
    internal int HardSellScore { get; private set; }

    /// <summary>The parts of <see cref="HardSell"/> as the hard-sell rules gathered them, when they set it so.</summary>
    internal KeyValuePair<string, int>[]? HardSellParts { get; private set; }

    /// <summary>The analysis when it was set or read as such, else null (it is made from the score and parts).</summary>
    internal HardSellAnalysis? KnownHardSell => _hardSell;

    /// <summary>The hard-sell analysis from its score and parts (ordinal order of category); made when first read.</summary>
    internal void SetHardSell(int score, KeyValuePair<string, int>[]? parts)
    {
        _hardSell = null;
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
