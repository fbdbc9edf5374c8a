using System.Globalization;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Contracts;

/// <summary>The filters of <c>GET /api/decisions</c>, parsed and checked.</summary>
public sealed record DecisionQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Longest range a query across all accounts may span, in days.</summary>
    public const int MaxDaysAcrossAccounts = 92;

    public static readonly IReadOnlyList<string> ReviewStatuses = ["not-required", "pending", "approved", "rejected", "expired"];

    private static readonly string[] Known =
        ["accountId", "from", "to", "verdict", "rule", "channel", "author", "campaign", "reviewStatus", "pageSize", "continuationToken", "format"];

    public string? AccountId { get; init; }

    public DateTimeOffset From { get; init; }

    public DateTimeOffset To { get; init; }

    public string? Verdict { get; init; }

    public string? RuleId { get; init; }

    public string? Channel { get; init; }

    public string? Author { get; init; }

    public string? Campaign { get; init; }

    public string? ReviewStatus { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    public string? ContinuationToken { get; init; }

    public bool Csv { get; init; }

    /// <summary>
    /// Reads the query string. Without an account the range is required to be at most
    /// <see cref="MaxDaysAcrossAccounts"/> days and defaults to the last 7 days.
    /// </summary>
    public static DecisionQuery? Parse(IQueryCollection query, string? accept, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var key in query.Keys)
        {
            if (!Known.Contains(key, StringComparer.Ordinal))
            {
                errors[key] = [$"is not a known filter; expected one of {string.Join(", ", Known)}."];
            }
            else if (query[key].Count > 1)
            {
                errors[key] = ["must be given once."];
            }
        }

        var accountId = Text(query, "accountId", CheckRequest.MaxIdLength, errors);
        var from = Time(query, "from", errors);
        var to = Time(query, "to", errors);
        var verdict = Text(query, "verdict", 16, errors);
        if (verdict is not null && !SeverityNames.TryParseVerdict(verdict, out _))
        {
            errors["verdict"] = ["must be allow, coach, review or block."];
        }

        var rule = Text(query, "rule", 64, errors);
        if (rule is not null && RuleCatalog.All.All(r => r.Descriptor.Id != rule && r.Descriptor.Name != rule))
        {
            errors["rule"] = [$"'{rule}' is not a rule id (PG101) or name (link-dropping/too-many-links)."];
        }

        var ruleId = rule is null ? null : RuleCatalog.All.FirstOrDefault(r => r.Descriptor.Id == rule || r.Descriptor.Name == rule)?.Descriptor.Id;
        var channel = Text(query, "channel", 32, errors);
        if (channel is not null && !Channels.TryParse(channel, out _))
        {
            errors["channel"] = [$"must be one of {string.Join(", ", Channels.WireNames)}."];
        }

        var reviewStatus = Text(query, "reviewStatus", 32, errors);
        if (reviewStatus is not null && !ReviewStatuses.Contains(reviewStatus))
        {
            errors["reviewStatus"] = [$"must be one of {string.Join(", ", ReviewStatuses)}."];
        }

        var pageSize = DefaultPageSize;
        if (Text(query, "pageSize", 8, errors) is { } size
            && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            errors["pageSize"] = [$"must be a whole number from 1 to {MaxPageSize}."];
        }

        var format = Text(query, "format", 8, errors);
        if (format is not null && format is not ("json" or "csv"))
        {
            errors["format"] = ["must be json or csv."];
        }

        var end = to ?? now;
        var start = from ?? (accountId is null ? end.AddDays(-7) : DateTimeOffset.UnixEpoch);
        if (start > end)
        {
            errors["from"] = ["must not be after to."];
        }
        else if (accountId is null && end - start > TimeSpan.FromDays(MaxDaysAcrossAccounts))
        {
            errors["from"] = [$"a query across all accounts may span at most {MaxDaysAcrossAccounts} days; narrow the range or name an accountId."];
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new DecisionQuery
        {
            AccountId = accountId,
            From = start,
            To = end,
            Verdict = verdict,
            RuleId = ruleId,
            Channel = channel,
            Author = Text(query, "author", CheckRequest.MaxIdLength, errors),
            Campaign = Text(query, "campaign", CheckRequest.MaxIdLength, errors),
            ReviewStatus = reviewStatus,
            PageSize = pageSize,
            ContinuationToken = Text(query, "continuationToken", 4096, errors),
            Csv = format == "csv" || (format is null && accept is not null && accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase)),
        };
    }

    private static string? Text(IQueryCollection query, string name, int maxLength, Dictionary<string, string[]> errors)
    {
        var value = query[name].FirstOrDefault();
        if (value is null)
        {
            return null;
        }

        if (value.Length == 0 || value.Length > maxLength)
        {
            errors[name] = [$"must be 1 to {maxLength} characters."];
            return null;
        }

        return value;
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        var value = Text(query, name, 64, errors);
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            && parsed >= DateTimeOffset.UnixEpoch && parsed.Year < 9999)
        {
            return parsed;
        }

        errors[name] = ["must be an ISO 8601 date or date-time, e.g. 2026-12-01 or 2026-12-01T09:00:00Z."];
        return null;
    }
}
