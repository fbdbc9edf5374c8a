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
        var scope = policy.For(draft.AccountId, draft.Channel);
        var context = new PostContext(draft, timeline, scope);
        var sink = new FindingSink();
        foreach (var configured in scope.Rules)
        {
            if (configured.Severity != Severity.Off)
            {
                configured.Rule.Evaluate(context, configured.Options, sink);
            }
        }

        var findings = new List<Finding>(sink.Findings.Count);
        var shadow = new List<Finding>();
        var verdict = Verdict.Allow;
        foreach (var finding in sink.Findings)
        {
            if (finding.Mode == RuleMode.Shadow)
            {
                shadow.Add(finding);
                continue;
            }

            findings.Add(finding);
            if (finding.Mode == RuleMode.Enforce && (int)finding.Severity > (int)verdict)
            {
                verdict = (Verdict)(int)finding.Severity;
            }
        }

        var summary = findings
            .Select((f, i) => (Finding: f, Order: i))
            .OrderBy(x => x.Finding.Mode)
            .ThenByDescending(x => x.Finding.Severity)
            .ThenBy(x => x.Order)
            .Select(x => x.Finding.Action)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxSummaryItems)
            .ToList();
        var promotionalAt = scope.Rules.Select(r => r.Options).OfType<Rules.Cadence.PromotionalShareOptions>().FirstOrDefault()?.PromotionalAtScore ?? int.MaxValue;
        return new Evaluation(verdict, findings, shadow, summary, policy.Version, context.Analyze(sink.HardSell))
        {
            Signature = new PostSignature(context.LinkKeys, sink.HardSell.Score >= promotionalAt, context.Fingerprint),
        };
    }
}
