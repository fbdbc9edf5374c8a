using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Polly;
using PostGate.Functions.Contracts;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Storage;

/// <summary>The decision log in Azure Table Storage: one partition per account, one transaction per check.</summary>
public sealed partial class TableDecisionLog : IDecisionLog, IDisposable
{
    private const string TokenPrefix = "pg2:";

    private readonly TableClient _table;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger<TableDecisionLog> _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private volatile bool _tableReady;

    /// <summary>The log on <paramref name="table"/>; <paramref name="time"/> is the clock review states are derived with (a held decision expires at its scheduled time).</summary>
    public TableDecisionLog(TableClient table, ResiliencePipeline pipeline, ILogger<TableDecisionLog> logger, TimeProvider? time = null)
    {
        _table = table;
        _pipeline = pipeline;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public static TableClient CreateClient(IOptions<StorageOptions> options, HttpPipelineTransportFactory? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var clientOptions = new TableClientOptions();

        // NOTE: Polly owns retries; with the SDK's retries on as well, one insert could become sixteen attempts.
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = settings.AttemptTimeout;
        if (transport is not null)
        {
            clientOptions.Transport = transport();
        }

        // NOTE: in Azure the table endpoint and a managed identity are used (shared keys are off);
        // a connection string serves Azurite and local runs.
        return settings.TableServiceUri is { } endpoint
            ? new TableClient(endpoint, settings.TableName, new DefaultAzureCredential(), clientOptions)
            : new TableClient(settings.ConnectionString, settings.TableName, clientOptions);
    }

    public async Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(string accountId, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        var partition = Keys.Partition(accountId);
        var low = Keys.TimelinePrefix + Keys.TimelineTime(windowStart);
        var high = Keys.TimelinePrefix + Keys.TimelineTime(windowEnd) + "~";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {low} and RowKey le {high}");
        return await RunAsync("read-timeline", async ct =>
        {
            var entries = new List<TimelineEntry>();
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            {
                entries.Add(DecisionEntity.ToTimelineEntry(entity));
            }

            return (IReadOnlyList<TimelineEntry>)entries;
        }, cancellationToken);
    }

    /// <summary>How often an append re-reads the chain head after another writer moved it.</summary>
    public const int MaxChainRetries = 8;

    /// <summary>The first pause before re-reading a contended chain head; it doubles each round, up to <see cref="MaxContentionDelay"/>.</summary>
    public static readonly TimeSpan FirstContentionDelay = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest pause between two contended rounds.</summary>
    public static readonly TimeSpan MaxContentionDelay = TimeSpan.FromMilliseconds(500);

    public async Task<AppendResult> AppendAsync(DecisionResponse decision, TimelineEntry entry, IdempotencyKey? idempotency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(entry);
        var partition = Keys.Partition(decision.AccountId);

        // NOTE: keys and content are fixed before the first attempt, so a retry repeats the same rows; only the
        // chain fields change when another writer moved the head in between.
        var decisionEntity = DecisionEntity.ToEntity(decision);
        var timelineEntity = DecisionEntity.ToEntity(decision.AccountId, entry);
        var contentHash = decisionEntity.GetString("ContentHash");
        await RunAsync("day-index", async ct =>
        {
            await _table.UpsertEntityAsync(DecisionEntity.ToDayIndexEntity(decision), TableUpdateMode.Replace, ct);
            return true;
        }, cancellationToken);
        var attempts = 0;
        for (var round = 0; round < MaxChainRetries; round++)
        {
            var outcome = await RunAsync("append", async ct =>
            {
                attempts++;
                if (attempts > 1 && await AlreadyLoggedAsync(decisionEntity, ct))
                {
                    return AppendStep.Logged;
                }

                var head = await _table.GetEntityIfExistsAsync<TableEntity>(partition, Keys.ChainHeadRow, cancellationToken: ct);

                var previousHash = head.HasValue ? head.Value!.GetString("Hash") : string.Empty;
                var sequence = (head.HasValue ? head.Value!.GetInt64("Sequence") ?? 0 : 0) + 1;
                var hash = DecisionEntity.ChainHash(previousHash, sequence, contentHash);
                decisionEntity["PreviousHash"] = previousHash;
                decisionEntity["Sequence"] = sequence;
                decisionEntity["Hash"] = hash;
                var actions = new List<TableTransactionAction>
                {
                    new(TableTransactionActionType.Add, decisionEntity),
                    new(TableTransactionActionType.Add, timelineEntity),
                };
                var newHead = new TableEntity(partition, Keys.ChainHeadRow)
                {
                    ["Hash"] = hash,
                    ["Sequence"] = sequence,
                    ["DecisionRowKey"] = decisionEntity.RowKey,
                    ["DecisionId"] = decision.DecisionId,
                };
                actions.Add(head.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, newHead, head.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, newHead));
                if (decision.DraftId is { } draftId)
                {
                    await AddDraftRowsAsync(actions, partition, draftId, decision, timelineEntity.RowKey, ct);
                }

                if (idempotency is not null)
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, Keys.IdempotencyRow(idempotency.Key))
                    {
                        ["DecisionId"] = decision.DecisionId,
                        ["DecisionRowKey"] = decisionEntity.RowKey,
                        ["BodyHash"] = idempotency.BodyHash,
                    }));
                }

                try
                {
                    await _table.SubmitTransactionAsync(actions, ct);
                    return AppendStep.Logged;
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
                {
                    // NOTE: an earlier attempt may have committed while its answer was lost; the transaction is
                    // all-or-nothing, so the decision row tells. Otherwise another writer got in first: the chain
                    // head moved (412), or the same idempotency key or draft landed (409).
                    if (await AlreadyLoggedAsync(decisionEntity, ct))
                    {
                        Log.AlreadyLogged(_logger, decision.DecisionId);
                        return AppendStep.Logged;
                    }

                    return AppendStep.Contended;
                }
            }, cancellationToken);

            if (outcome == AppendStep.Logged)
            {
                return new AppendResult(AppendOutcome.Logged, decision);
            }

            if (idempotency is not null && await FindIdempotentAsync(decision.AccountId, idempotency.Key, cancellationToken) is { } earlier)
            {
                return earlier.BodyHash == idempotency.BodyHash
                    ? new AppendResult(AppendOutcome.Replayed, earlier.Decision)
                    : new AppendResult(AppendOutcome.KeyReused, earlier.Decision);
            }

            // NOTE: each round only one writer wins, and losers that re-read at once collide again; without a
            // jittered, growing pause, twenty concurrent checks on one account used up the rounds and got 503.
            if (round < MaxChainRetries - 1)
            {
                await Task.Delay(ContentionDelay(round), _time, cancellationToken);
            }
        }

        throw new StorageUnavailableException("The account's decision chain stayed contended; retry the request.");
    }

    /// <summary>Full jitter: a random pause up to the round's cap, so contending writers spread out.</summary>
    private static TimeSpan ContentionDelay(int round) =>
        TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * Math.Min(FirstContentionDelay.Ticks << Math.Min(round, 16), MaxContentionDelay.Ticks)));

    private enum AppendStep
    {
        Logged,
        Contended,
    }

    private async Task<bool> AlreadyLoggedAsync(TableEntity decisionEntity, CancellationToken cancellationToken)
    {
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(decisionEntity.PartitionKey, decisionEntity.RowKey, cancellationToken: cancellationToken);
        return existing.HasValue && existing.Value!.GetString("ContentHash") == decisionEntity.GetString("ContentHash");
    }

    /// <summary>
    /// A re-check of a draft replaces the draft's timeline entry, so cadence never counts a draft twice; the
    /// earlier decision stays in the log.
    /// </summary>
    private async Task AddDraftRowsAsync(List<TableTransactionAction> actions, string partition, string draftId, DecisionResponse decision, string timelineRowKey, CancellationToken cancellationToken)
    {
        var draftRow = new TableEntity(partition, Keys.DraftRow(draftId))
        {
            ["DraftId"] = draftId,
            ["DecisionId"] = decision.DecisionId,
            ["TimelineRowKey"] = timelineRowKey,
        };
        var previous = await _table.GetEntityIfExistsAsync<TableEntity>(partition, draftRow.RowKey, cancellationToken: cancellationToken);
        if (!previous.HasValue)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, draftRow));
            return;
        }

        actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, draftRow, previous.Value!.ETag));
        if (previous.Value!.GetString("TimelineRowKey") is { } oldTimeline && oldTimeline != timelineRowKey)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, oldTimeline), ETag.All));
        }
    }

    public async Task<IdempotentDecision?> FindIdempotentAsync(string accountId, string key, CancellationToken cancellationToken)
    {
        var partition = Keys.Partition(accountId);
        return await RunAsync("idempotency", async ct =>
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(partition, Keys.IdempotencyRow(key), cancellationToken: ct);
            if (!row.HasValue || row.Value!.GetString("DecisionRowKey") is not { } decisionRow)
            {
                return null;
            }

            var decision = await _table.GetEntityIfExistsAsync<TableEntity>(partition, decisionRow, cancellationToken: ct);
            return decision.HasValue
                ? new IdempotentDecision(DecisionEntity.FromEntity(decision.Value!), row.Value.GetString("BodyHash") ?? string.Empty)
                : null;
        }, cancellationToken);
    }

    public async Task<ChainReport> VerifyAsync(string accountId, CancellationToken cancellationToken)
    {
        var partition = Keys.Partition(accountId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {Keys.DecisionPrefix} and RowKey lt {Keys.DecisionPrefix + "~"}");
        return await RunAsync("verify", async ct =>
        {
            var rows = new List<TableEntity>();
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            {
                rows.Add(entity);
            }

            var head = await _table.GetEntityIfExistsAsync<TableEntity>(partition, Keys.ChainHeadRow, cancellationToken: ct);
            return ChainVerifier.Verify(accountId, rows, head.HasValue ? head.Value : null);
        }, cancellationToken);
    }

    public async Task<DecisionResponse?> GetAsync(string accountId, string decisionId, CancellationToken cancellationToken)
    {
        var decidedAt = Keys.DecisionTime(decisionId);
        if (decidedAt is null)
        {
            return null;
        }

        var partition = Keys.Partition(accountId);
        var row = Keys.DecisionRow(decisionId, decidedAt.Value);
        return await RunAsync("get", async ct =>
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: ct);
            return response.HasValue ? await WithReviewsAsync(partition, DecisionEntity.FromEntity(response.Value!), ct) : null;
        }, cancellationToken);
    }

    /// <summary>Azure pages read for one API page at most, so a sparse filter cannot hold a request for long.</summary>
    public const int MaxPagesPerRequest = 8;

    public async Task<DecisionPageResponse> ListAsync(DecisionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var cursor = Cursor.Decode(query.ContinuationToken);
        try
        {
            return query.AccountId is { } accountId
                ? await ListAccountAsync(accountId, query, cursor, cancellationToken)
                : await ListAcrossAccountsAsync(query, cursor, cancellationToken);
        }
        catch (RequestFailedException ex) when (cursor.AzureToken is not null && ex.Status == 400)
        {
            // NOTE: a token with our prefix but made-up keys reaches the service, which refuses it.
            throw new InvalidContinuationTokenException("The service refused the continuation token.", ex);
        }
    }

    private async Task<DecisionPageResponse> ListAccountAsync(string accountId, DecisionQuery query, Cursor cursor, CancellationToken cancellationToken)
    {
        var partition = Keys.Partition(accountId);
        var filter = Filters(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {Keys.DecisionRowBound(query.To)} and RowKey le {Keys.DecisionRowBound(query.From) + "~"}"),
            query);
        return await RunAsync("list", async ct =>
        {
            var items = new List<DecisionResponse>();
            var token = cursor.AzureToken;
            for (var pages = 0; pages < MaxPagesPerRequest && items.Count < query.PageSize; pages++)
            {
                var page = await FirstPageAsync(filter, token, query.PageSize, ct);
                var decisions = await WithReviewsAsync(partition, [.. page.Values.Select(DecisionEntity.FromEntity)], ct);
                items.AddRange(decisions.Where(d => Matches(d, query)));
                token = page.ContinuationToken;
                if (token is null)
                {
                    break;
                }
            }

            return new DecisionPageResponse(items, token is null ? null : new Cursor(null, token).Encode());
        }, cancellationToken);
    }

    /// <summary>Across accounts, the day index is read day by day, newest first; each hit is read from its account's partition.</summary>
    private async Task<DecisionPageResponse> ListAcrossAccountsAsync(DecisionQuery query, Cursor cursor, CancellationToken cancellationToken)
    {
        return await RunAsync("list-all", async ct =>
        {
            var items = new List<DecisionResponse>();
            var day = cursor.Day ?? query.To.UtcDateTime.Date;
            var firstDay = query.From.UtcDateTime.Date;
            var token = cursor.AzureToken;
            for (var pages = 0; pages < MaxPagesPerRequest && items.Count < query.PageSize && day >= firstDay; pages++)
            {
                var dayPartition = Keys.DayPartition(new DateTimeOffset(day, TimeSpan.Zero));
                var filter = Filters(
                    TableClient.CreateQueryFilter($"PartitionKey eq {dayPartition} and RowKey ge {Keys.DayRowBound(query.To)} and RowKey le {Keys.DayRowBound(query.From) + "~"}"),
                    query);
                var page = await FirstPageAsync(filter, token, query.PageSize, ct);
                foreach (var hit in page.Values)
                {
                    var row = await _table.GetEntityIfExistsAsync<TableEntity>(hit.GetString("AccountPartition"), hit.GetString("DecisionRowKey"), cancellationToken: ct);

                    // NOTE: an index row is written before its decision's transaction; if that transaction failed,
                    // the index row points at nothing and is skipped.
                    if (row.HasValue
                        && await WithReviewsAsync(row.Value!.PartitionKey, DecisionEntity.FromEntity(row.Value!), ct) is var decision
                        && Matches(decision, query))
                    {
                        items.Add(decision);
                    }
                }

                token = page.ContinuationToken;
                if (token is null)
                {
                    day = day.AddDays(-1);
                }
            }

            var more = day >= firstDay;
            return new DecisionPageResponse(items, more ? new Cursor(day, token).Encode() : null);
        }, cancellationToken);
    }

    private async Task<Page<TableEntity>> FirstPageAsync(string filter, string? token, int pageSize, CancellationToken cancellationToken)
    {
        await foreach (var page in _table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(token, pageSize))
        {
            return page;
        }

        return Page<TableEntity>.FromValues([], null, null!);
    }

    /// <summary>Equality filters run in the service, each built with CreateQueryFilter so no value can change the query.</summary>
    private static string Filters(string filter, DecisionQuery query)
    {
        if (query.Verdict is { } verdict)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Verdict eq {verdict}");
        }

        if (query.Channel is { } channel)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Channel eq {channel}");
        }

        if (query.Author is { } author)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Author eq {author}");
        }

        if (query.Campaign is { } campaign)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Campaign eq {campaign}");
        }

        return filter;
    }

    /// <summary>Filters the service cannot run: a rule among the findings, and the derived review status.</summary>
    private static bool Matches(DecisionResponse decision, DecisionQuery query) =>
        (query.RuleId is null || decision.Findings.Any(f => f.RuleId == query.RuleId))
        && (query.ReviewStatus is null || ReviewStatusOf(decision) == query.ReviewStatus);

    internal static string ReviewStatusOf(DecisionResponse decision) =>
        decision.Review?.Status ?? (decision.Verdict == ReviewStatus.HeldVerdict ? ReviewStatus.Pending : ReviewStatus.NotRequired);

    /// <summary>The opaque continuation token: the day being read (across accounts) and the service's own token.</summary>
    private sealed record Cursor(DateTime? Day, string? AzureToken)
    {
        public string Encode() =>
            Base64Url(Encoding.UTF8.GetBytes(TokenPrefix + (Day?.ToString("yyyyMMdd", CultureInfo.InvariantCulture) ?? string.Empty) + "|" + AzureToken));

        public static Cursor Decode(string? token)
        {
            if (string.IsNullOrEmpty(token))
            {
                return new Cursor(null, null);
            }

            try
            {
                var padded = token.Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - (padded.Length % 4)) % 4);
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
                var bar = text.IndexOf('|', StringComparison.Ordinal);
                if (text.StartsWith(TokenPrefix, StringComparison.Ordinal) && bar > 0)
                {
                    var dayText = text[TokenPrefix.Length..bar];
                    var azure = text[(bar + 1)..];
                    DateTime? day = dayText.Length == 0
                        ? null
                        : DateTime.ParseExact(dayText, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                    return new Cursor(day, azure.Length == 0 ? null : azure);
                }
            }
            catch (FormatException)
            {
            }

            throw new InvalidContinuationTokenException("The continuation token was not issued by this API.");
        }
    }

    private async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    await EnsureTableAsync(ctx.CancellationToken);
                    return await state(ctx.CancellationToken);
                },
                context,
                action);
        }
        catch (Exception ex) when (StoragePipeline.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            Log.StorageUnavailable(_logger, operation, ex);
            throw new StorageUnavailableException($"The decision log is unavailable ({operation}).", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_tableReady)
        {
            return;
        }

        await _createLock.WaitAsync(cancellationToken);
        try
        {
            if (!_tableReady)
            {
                await _table.CreateIfNotExistsAsync(cancellationToken);
                _tableReady = true;
            }
        }
        finally
        {
            _createLock.Release();
        }
    }

    public void Dispose() => _createLock.Dispose();

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Creates the HTTP transport the table client uses; tests pass a fake one.</summary>
public delegate Azure.Core.Pipeline.HttpPipelineTransport HttpPipelineTransportFactory();
