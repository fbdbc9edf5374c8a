using System.Collections.Concurrent;
using System.Globalization;
using Azure.Data.Tables;
using PostGate.Functions.Contracts;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Storage;

/// <summary>The dashboard's aggregates: range scans of each account's partition, reading only the columns they count.</summary>
public sealed partial class TableDecisionLog : IDecisionStats
{
    /// <summary>Rules listed in <see cref="DecisionStatsResponse.TopRules"/>.</summary>
    public const int TopRuleCount = 10;

    /// <summary>Accounts whose partitions are read at once.</summary>
    private const int StatsParallelism = 8;

    private static readonly string[] DecisionColumns = ["Verdict", "RuleIds", "DecidedAtText", "DecidedAt"];
    private static readonly string[] TimelineColumns = ["ScheduledAt", "PostKind", "Promotional"];
    private static readonly string[] DayIndexColumns = ["AccountId"];

    public async Task<DecisionStatsResponse> StatsAsync(DecisionStatsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        // NOTE: the day index names the accounts but carries no rule ids, so each account's partition is read once,
        // three columns per decision, instead of one point read per index row. It also skips index rows whose
        // decision never landed, as the list does.
        IReadOnlyCollection<string> accounts = query.AccountId is { } only ? [only] : await AccountsWithDecisionsAsync(query, cancellationToken);

        var days = new SortedDictionary<DateOnly, int[]>();
        for (var day = DateOnly.FromDateTime(query.From.UtcDateTime); day <= DateOnly.FromDateTime(query.To.UtcDateTime); day = day.AddDays(1))
        {
            days[day] = new int[4];
        }

        var rules = new Dictionary<string, int>(StringComparer.Ordinal);
        var decisions = 0;
        var shares = new ConcurrentBag<AccountShareResponse>();
        var gate = new object();
        await Parallel.ForEachAsync(
            accounts,
            new ParallelOptions { MaxDegreeOfParallelism = StatsParallelism, CancellationToken = cancellationToken },
            async (accountId, ct) =>
            {
                var (accountDays, accountRules, count) = await DecisionCountsAsync(accountId, query, ct);
                lock (gate)
                {
                    decisions += count;
                    foreach (var (day, verdicts) in accountDays)
                    {
                        if (days.TryGetValue(day, out var total))
                        {
                            for (var i = 0; i < total.Length; i++)
                            {
                                total[i] += verdicts[i];
                            }
                        }
                    }

                    foreach (var (rule, hits) in accountRules)
                    {
                        rules[rule] = rules.GetValueOrDefault(rule) + hits;
                    }
                }

                var share = await SharesAsync(accountId, query, ct);
                if (share.Posts > 0 || count > 0)
                {
                    shares.Add(share with { Decisions = count });
                }
            });

        var catalog = RuleCatalog.All.ToDictionary(r => r.Descriptor.Id, r => r.Descriptor, StringComparer.Ordinal);
        return new DecisionStatsResponse(
            query.AccountId,
            query.From,
            query.To,
            decisions,
            [.. days.Select(d => new VerdictDayResponse(DayText(d.Key), d.Value[0], d.Value[1], d.Value[2], d.Value[3]))],
            [.. rules
                .OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Take(TopRuleCount)
                .Select(r => catalog.TryGetValue(r.Key, out var descriptor)
                    ? new RuleCountResponse(r.Key, descriptor.Name, descriptor.Title, r.Value)
                    : new RuleCountResponse(r.Key, r.Key, r.Key, r.Value))],
            [.. shares.OrderByDescending(s => s.Decisions).ThenByDescending(s => s.Posts).ThenBy(s => s.AccountId, StringComparer.Ordinal)]);
    }

    /// <summary>The accounts with a decision in the range, from the day index (one partition per day, one column read).</summary>
    private async Task<IReadOnlyCollection<string>> AccountsWithDecisionsAsync(DecisionStatsQuery query, CancellationToken cancellationToken)
    {
        return await RunAsync("stats-accounts", async ct =>
        {
            var accounts = new HashSet<string>(StringComparer.Ordinal);
            for (var day = query.To.UtcDateTime.Date; day >= query.From.UtcDateTime.Date; day = day.AddDays(-1))
            {
                var partition = Keys.DayPartition(new DateTimeOffset(day, TimeSpan.Zero));
                var filter = TableClient.CreateQueryFilter(
                    $"PartitionKey eq {partition} and RowKey ge {Keys.DayRowBound(query.To)} and RowKey le {Keys.DayRowBound(query.From) + "~"}");
                await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: DayIndexColumns, cancellationToken: ct))
                {
                    if (row.GetString("AccountId") is { } accountId)
                    {
                        accounts.Add(accountId);
                    }
                }
            }

            return (IReadOnlyCollection<string>)accounts;
        }, cancellationToken);
    }

    /// <summary>One account's decisions in the range: verdicts per UTC day and decisions per rule.</summary>
    private async Task<(Dictionary<DateOnly, int[]> Days, Dictionary<string, int> Rules, int Count)> DecisionCountsAsync(
        string accountId, DecisionStatsQuery query, CancellationToken cancellationToken)
    {
        var partition = Keys.Partition(accountId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {Keys.DecisionRowBound(query.To)} and RowKey le {Keys.DecisionRowBound(query.From) + "~"}");
        return await RunAsync("stats-decisions", async ct =>
        {
            var days = new Dictionary<DateOnly, int[]>();
            var rules = new Dictionary<string, int>(StringComparer.Ordinal);
            var count = 0;
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: DecisionColumns, cancellationToken: ct))
            {
                var decidedAt = row.GetString("DecidedAtText") is { } text
                    && DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                    ? parsed
                    : row.GetDateTimeOffset("DecidedAt") ?? default;
                if (decidedAt < query.From || decidedAt > query.To)
                {
                    continue;
                }

                count++;
                var day = DateOnly.FromDateTime(decidedAt.UtcDateTime);
                if (!days.TryGetValue(day, out var verdicts))
                {
                    days[day] = verdicts = new int[4];
                }

                if (SeverityNames.TryParseVerdict(row.GetString("Verdict") ?? string.Empty, out var verdict))
                {
                    verdicts[(int)verdict]++;
                }

                foreach (var rule in (row.GetString("RuleIds") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    rules[rule] = rules.GetValueOrDefault(rule) + 1;
                }
            }

            return (days, rules, count);
        }, cancellationToken);
    }

    /// <summary>One account's timeline in the range, by UTC day of schedule: posts, replies and promotional posts.</summary>
    private async Task<AccountShareResponse> SharesAsync(string accountId, DecisionStatsQuery query, CancellationToken cancellationToken)
    {
        var partition = Keys.Partition(accountId);
        var low = Keys.TimelineBound(query.From, high: false);
        var high = Keys.TimelineBound(query.To, high: true);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {low} and RowKey le {high}");
        return await RunAsync("stats-timeline", async ct =>
        {
            var days = new SortedDictionary<DateOnly, (int Posts, int Replies, int Promotional)>();
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: TimelineColumns, cancellationToken: ct))
            {
                var day = DateOnly.FromDateTime((row.GetDateTimeOffset("ScheduledAt") ?? default).UtcDateTime);
                var (posts, replies, promotional) = days.GetValueOrDefault(day);
                days[day] = (
                    posts + 1,
                    replies + (row.GetString("PostKind") == "reply" ? 1 : 0),
                    promotional + (row.GetBoolean("Promotional") == true ? 1 : 0));
            }

            return new AccountShareResponse(
                accountId,
                0,
                days.Values.Sum(d => d.Posts),
                days.Values.Sum(d => d.Replies),
                days.Values.Sum(d => d.Promotional),
                [.. days.Select(d => new ShareDayResponse(
                    DayText(d.Key),
                    d.Value.Posts,
                    d.Value.Replies,
                    d.Value.Promotional,
                    Math.Round((double)d.Value.Replies / d.Value.Posts, 4),
                    Math.Round((double)d.Value.Promotional / d.Value.Posts, 4)))]);
        }, cancellationToken);
    }

    private static string DayText(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
