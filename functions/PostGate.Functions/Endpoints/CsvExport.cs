using System.Globalization;
using System.Text;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;

namespace PostGate.Functions.Endpoints;

/// <summary>Streams decisions as RFC 4180 CSV, page by page, for auditors and spreadsheets.</summary>
public static class CsvExport
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "decisionId", "accountId", "decidedAt", "scheduledAt", "channel", "author", "campaign", "draftId", "verdict",
        "ruleIds", "findings", "policyVersion", "reviewStatus", "reviewer", "reviewedAt", "reviewReason", "text",
    ];

    public static async Task WriteAsync(
        HttpResponse response,
        DecisionPageResponse first,
        Func<string, Task<DecisionPageResponse>> next,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(next);
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = "attachment; filename=\"decisions.csv\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
        var page = first;
        while (true)
        {
            foreach (var decision in page.Items)
            {
                await writer.WriteAsync(Row(decision));
            }

            await writer.FlushAsync(cancellationToken);
            if (page.ContinuationToken is not { } token)
            {
                break;
            }

            page = await next(token);
        }
    }

    public static string Row(DecisionResponse decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var review = ReviewFields(decision);
        string?[] cells =
        [
            decision.DecisionId,
            decision.AccountId,
            decision.DecidedAt.ToString("O", CultureInfo.InvariantCulture),
            decision.Draft.ScheduledAt.ToString("O", CultureInfo.InvariantCulture),
            decision.Draft.Channel,
            decision.Draft.Author,
            decision.Draft.Campaign,
            decision.DraftId,
            decision.Verdict,
            string.Join(' ', decision.Findings.Select(f => f.RuleId).Distinct()),
            string.Join(" | ", decision.Findings.Select(f => $"{f.RuleId} {f.Severity}: {f.Message}")),
            decision.PolicyVersion,
            review.Status,
            review.Reviewer,
            review.At,
            review.Reason,
            decision.Draft.Text,
        ];
        return string.Join(',', cells.Select(Escape)) + "\r\n";
    }

    /// <summary>
    /// RFC 4180 quoting, and a leading apostrophe before =, +, -, @, tab or carriage return so that a spreadsheet
    /// shows a post's text instead of running it as a formula.
    /// </summary>
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static (string? Status, string? Reviewer, string? At, string? Reason) ReviewFields(DecisionResponse decision) =>
        decision.Review is { } review
            ? (review.Status, review.Reviewer, review.At?.ToString("O", CultureInfo.InvariantCulture), review.Reason)
            : (decision.Verdict == ReviewStatus.HeldVerdict ? ReviewStatus.Pending : ReviewStatus.NotRequired, null, null, null);
}
