using PostGate.Rules.Engine;

namespace PostGate.Rules.Tests.TestSupport;

/// <summary>An evaluation written out whole, for tests that compare two ways of reaching it.</summary>
internal static class Evaluations
{
    /// <summary>Verdict, score, signature flags, summary, and every finding (shadow ones apart) with its mode, spans and texts.</summary>
    public static string Describe(Evaluation evaluation) =>
        string.Join(
            "\n",
            [
                $"{evaluation.Verdict} score {evaluation.HardSellScore} promotional {evaluation.Signature.Promotional} links {evaluation.LinkCount}",
                string.Join(" | ", evaluation.Summary),
                .. evaluation.Findings.Select(Describe),
                "shadow",
                .. evaluation.ShadowFindings.Select(Describe),
            ]);

    private static string Describe(Finding finding) =>
        $"{finding.RuleId} {finding.Severity} {finding.Mode} [{string.Join(", ", finding.Spans)}] {finding.Message} / {finding.Coaching}";
}
