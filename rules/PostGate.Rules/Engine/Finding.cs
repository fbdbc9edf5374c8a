namespace PostGate.Rules.Engine;

/// <summary>A stretch of the draft's original text, in UTF-16 code units.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>What one rule saw in one draft: data, not an error.</summary>
public sealed record Finding(
    string RuleId,
    string Rule,
    Severity Severity,
    string Message,
    string Coaching,
    IReadOnlyList<TextSpan> Spans,
    IReadOnlyList<string> Evidence)
{
    /// <summary>The imperative that goes into the verdict summary.</summary>
    public required string Action { get; init; }
}

/// <summary>The outcome of evaluating one draft against a policy.</summary>
public sealed record Evaluation(
    Verdict Verdict,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> Summary,
    string PolicyVersion,
    int LinkCount,
    int HardSellScore);
