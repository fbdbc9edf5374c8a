namespace PostGate.Rules.Engine;

/// <summary>Evaluates a draft against a policy. Pure: no clock, no I/O; the timeline arrives as data.</summary>
public static class PolicyEngine
{
    public const int MaxSummaryItems = 3;

    public static Evaluation Evaluate(Draft draft, IReadOnlyList<TimelineEntry> timeline, Policy.Policy policy)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(policy);
        var context = new PostContext(draft, timeline);
        var sink = new FindingSink();
        foreach (var configured in policy.Rules)
        {
            if (configured.Severity != Severity.Off)
            {
                configured.Rule.Evaluate(context, configured.Options, sink);
            }
        }

        var findings = sink.Findings;
        var verdict = Verdict.Allow;
        foreach (var finding in findings)
        {
            if ((int)finding.Severity > (int)verdict)
            {
                verdict = (Verdict)(int)finding.Severity;
            }
        }

        var summary = findings
            .Select((f, i) => (Finding: f, Order: i))
            .OrderByDescending(x => x.Finding.Severity)
            .ThenBy(x => x.Order)
            .Select(x => x.Finding.Action)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxSummaryItems)
            .ToList();
        return new Evaluation(verdict, findings, summary, policy.Version, context.LinkCount, sink.HardSellScore);
    }
}
