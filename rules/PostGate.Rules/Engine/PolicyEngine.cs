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

        // NOTE: the sink is only a collector: what outlives the evaluation is copied out of it below, so one sink per
        // thread serves every evaluation made there. It is taken, not borrowed, in case a rule ever evaluates again.
        var sink = t_sink ?? new FindingSink();
        t_sink = null;
        try
        {
            var plan = scope.Plan;
            if (plan is not null)
            {
                foreach (var bound in plan.Bound)
                {
                    bound.Evaluate(context, sink);
                }
            }
            else
            {
                var rules = scope.Rules;
                for (var r = 0; r < rules.Count; r++)
                {
                    var configured = rules[r];
                    if (configured.Severity != Severity.Off)
                    {
                        configured.Rule.Evaluate(context, configured.Options, sink);
                    }
                }
            }

            var all = sink.FindingList;
            var shown = 0;
            var verdict = Verdict.Allow;
            for (var i = 0; i < all.Count; i++)
            {
                var finding = all[i];
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

            var findings = shown == 0 ? [] : new Finding[shown];
            var shadow = shown == all.Count ? [] : new Finding[all.Count - shown];
            int kept = 0, logged = 0;
            for (var i = 0; i < all.Count; i++)
            {
                var finding = all[i];
                if (finding.Mode == RuleMode.Shadow)
                {
                    shadow[logged++] = finding;
                }
                else
                {
                    findings[kept++] = finding;
                }
            }

            var promotionalAt = plan is not null ? plan.Promotional?.PromotionalAtScore ?? int.MaxValue : PromotionalAt(scope);
            var promotional = sink.HardSellScore >= promotionalAt;
            return new Evaluation(verdict, findings, shadow, policy.Version, context, sink.HardSellScore, sink.HardSellParts, promotional);
        }
        finally
        {
            sink.Reset();
            t_sink = sink;
            context.Release();
        }
    }

    [ThreadStatic]
    private static FindingSink? t_sink;

    /// <summary>
    /// The distinct actions of the findings, enforced before warned, then the most severe first, then in order of
    /// finding, at most <see cref="MaxSummaryItems"/>.
    /// </summary>
    internal static string[] Summarize(IReadOnlyList<Finding> findings)
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
        var rules = scope.Rules;
        for (var r = 0; r < rules.Count; r++)
        {
            if (rules[r].Options is Rules.Cadence.PromotionalShareOptions options)
            {
                return options.PromotionalAtScore;
            }
        }

        return int.MaxValue;
    }
}
