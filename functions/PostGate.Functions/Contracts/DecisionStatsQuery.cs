using System.Globalization;

namespace PostGate.Functions.Contracts;

/// <summary>The range of <c>GET /api/decisions/stats</c> and <c>GET /api/decisions/{accountId}/timeline</c>, parsed and checked.</summary>
public sealed record DecisionStatsQuery(string? AccountId, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Longest range the dashboard may span, in days (as a list across accounts).</summary>
    public const int MaxDays = DecisionQuery.MaxDaysAcrossAccounts;

    /// <summary>The range the dashboard shows without one: the last 30 days.</summary>
    public const int DefaultDays = 30;

    /// <summary>Longest timeline window, in days: the cadence rules look back at most 31 days.</summary>
    public const int MaxTimelineDays = 32;

    /// <summary>Reads <c>from</c> and <c>to</c> (ISO 8601); <c>to</c> defaults to now and <c>from</c> to <paramref name="defaultDays"/> before it.</summary>
    public static DecisionStatsQuery? Parse(string? accountId, string? from, string? to, DateTimeOffset now, int defaultDays, int maxDays, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (accountId is not null && (accountId.Length == 0 || accountId.Length > CheckRequest.MaxIdLength))
        {
            errors["accountId"] = [$"must be 1 to {CheckRequest.MaxIdLength} characters."];
        }

        var end = Time("to", to, errors) ?? now;
        var start = Time("from", from, errors) ?? end.AddDays(-defaultDays);
        if (errors.Count == 0 && start > end)
        {
            errors["from"] = ["must not be after to."];
        }
        else if (errors.Count == 0 && end - start > TimeSpan.FromDays(maxDays))
        {
            errors["from"] = [string.Create(CultureInfo.InvariantCulture, $"the range may span at most {maxDays} days; narrow it.")];
        }

        return errors.Count == 0 ? new DecisionStatsQuery(accountId, start, end) : null;
    }

    private static DateTimeOffset? Time(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length is > 0 and <= 64
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            && parsed >= DateTimeOffset.UnixEpoch && parsed.Year < 9999)
        {
            return parsed;
        }

        errors[name] = ["must be an ISO 8601 date or date-time, e.g. 2026-12-01 or 2026-12-01T09:00:00Z."];
        return null;
    }
}
