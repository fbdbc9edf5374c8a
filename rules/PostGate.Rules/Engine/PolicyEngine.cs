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
        try
        {
            var sink = new FindingSink();
            foreach (var configured in scope.Rules)
            {
                if (configured.Severity != Severity.Off)
                {
                    configured.Rule.Evaluate(context, configured.Options, sink);
                }
            }

            var all = sink.Findings;
            var shown = 0;
            var verdict = Verdict.Allow;
            foreach (var finding in all)
            {
                if (finding.Mode == RuleMode.Shadow)
                {
                    continue;
                }

                shown++;
                if (finding.Mode == RuleMode.Enforce && (int)finding.Severity > (int)verdict)
                {
                    verdict = (Verdict)(int)finding.Severity;
                }
            }

            IReadOnlyList<Finding> findings = all;
            IReadOnlyList<Finding> shadow = [];
            if (shown < all.Count)
            {
                var kept = new List<Finding>(shown);
                var logged = new List<Finding>(all.Count - shown);
                foreach (var finding in all)
                {
                    (finding.Mode == RuleMode.Shadow ? logged : kept).Add(finding);
                }

                (findings, shadow) = (kept, logged);
            }

            var promotional = sink.HardSell.Score >= PromotionalAt(scope);
            var signature = new PostSignature(context.TextLinks, context.AttachedLinks, context.KnownLinkKeys, promotional, draft.Text, context.KnownFingerprint);
            return new Evaluation(verdict, findings, shadow, Summarize(findings), policy.Version, context, sink.HardSell)
            {
                Signature = signature,
            };
        }
        finally
        {
            context.Release();
        }
    }

    /// <summary>
    /// The distinct actions of the findings, enforced before warned, then the most severe first, then in order of
    /// finding, at most <see cref="MaxSummaryItems"/>.
    /// </summary>
    private static string[] Summarize(IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return [];
        }

        Span<int> order = findings.Count <= 64 ? stackalloc int[findings.Count] : new int[findings.Count];
        for (var i = 0; i < order.Length; i++)
        {
            // NOTE: an insertion sort is stable, so findings that rank alike keep the order the rules reported them in.
            var j = i;
            while (j > 0 && Ranks(findings[i], findings[order[j - 1]]))
            {
                order[j] = order[j - 1];
                j--;
            }

            order[j] = i;
        }

        var picked = new string[Math.Min(findings.Count, MaxSummaryItems)];
        var count = 0;
        foreach (var index in order)
        {
            var action = findings[index].Action;
            if (!picked.AsSpan(0, count).Contains(action))
            {
                picked[count++] = action;
                if (count == picked.Length)
                {
                    break;
                }
            }
        }

        if (count < picked.Length)
        {
            Array.Resize(ref picked, count);
        }

        return picked;

        static bool Ranks(Finding a, Finding before) =>
            a.Mode < before.Mode || (a.Mode == before.Mode && a.Severity > before.Severity);
    }

    private static int PromotionalAt(Policy.PolicyScope scope)
    {
        foreach (var configured in scope.Rules)
        {
            if (configured.Options is Rules.Cadence.PromotionalShareOptions options)
            {
                return options.PromotionalAtScore;
            }
        }

        return int.MaxValue;
    }
}
