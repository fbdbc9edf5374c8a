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
    private readonly AccountTimelines _accounts = new();
    private readonly TimeSpan _timelineFreshness;
    private readonly TimeSpan _accountWait;
    private volatile bool _tableReady;

    /// <summary>
    /// The log on <paramref name="table"/>; <paramref name="time"/> is the clock review states are derived with (a
    /// held decision expires at its scheduled time); <paramref name="options"/> gives how fresh a cached timeline must
    /// be for a preview and how long a check waits for another check of the same account.
    /// </summary>
    public TableDecisionLog(TableClient table, ResiliencePipeline pipeline, ILogger<TableDecisionLog> logger, TimeProvider? time = null, StorageOptions? options = null)
    {
        _table = table;
        _pipeline = pipeline;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        options ??= new StorageOptions();
        _timelineFreshness = options.TimelineFreshness;
        _accountWait = options.TotalTimeout;
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

    /// <summary>
    /// The account's posts scheduled in the window, from what this instance knows of the account when its chain head
    /// was confirmed within the freshness interval; otherwise the head is read first (one point read) and only what
    /// changed or was never read is queried.
    /// </summary>
    public Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(string accountId, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken) =>
        WithTimelineAsync(accountId, windowStart, windowEnd, static (account, window) => (IReadOnlyList<TimelineEntry>)account.Slice(window.Low, window.High), cancellationToken);

    /// <summary>
    /// The same posts as <see cref="ReadTimelineAsync"/>, lent to <paramref name="use"/> in place (the account's
    /// indexed cache, under its lock) instead of copied.
    /// </summary>
    public Task<T> UseTimelineAsync<T>(string accountId, DateTimeOffset windowStart, DateTimeOffset windowEnd, Func<IReadOnlyList<TimelineEntry>, T> use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(use);
        return WithTimelineAsync(accountId, windowStart, windowEnd, (account, window) => use(account.Between(window.From, window.Until)), cancellationToken);
    }

    /// <summary>Calls <paramref name="use"/> under the account's lock once its cache holds the window and its head is fresh enough.</summary>
    private async Task<T> WithTimelineAsync<T>(string accountId, DateTimeOffset windowStart, DateTimeOffset windowEnd, Func<AccountTimeline, TimelineWindow, T> use, CancellationToken cancellationToken)
    {
        var partition = Keys.Partition(accountId);
        var window = TimelineWindow.Of(windowStart, windowEnd);
        var account = _accounts.For(partition);
        await EnterAsync(account, cancellationToken);
        try
        {
            if (account.HeadKnown && _time.GetElapsedTime(account.ConfirmedAt) <= _timelineFreshness && account.Missing(window.Low, window.High).Count == 0)
            {
                return use(account, window);
            }

            await RunAsync("read-timeline", async ct =>
            {
                if (!account.HeadKnown || _time.GetElapsedTime(account.ConfirmedAt) > _timelineFreshness)
                {
                    await ReadHeadAsync(account, partition, ct);
                }

                await CoverAsync(account, partition, window, ct);
                return true;
            }, cancellationToken);
            return use(account, window);
        }
        finally
        {
            account.Lock.Release();
        }
    }

    /// <summary>How often an append re-reads the chain head after another writer moved it.</summary>
    public const int MaxChainRetries = 8;

    /// <summary>The first pause before re-reading a contended chain head; it doubles each round, up to <see cref="MaxContentionDelay"/>.</summary>
    public static readonly TimeSpan FirstContentionDelay = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest pause between two contended rounds.</summary>
    public static readonly TimeSpan MaxContentionDelay = TimeSpan.FromMilliseconds(500);

    public Task<AppendResult> AppendAsync(DecisionResponse decision, TimelineEntry entry, IdempotencyKey? idempotency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(entry);
        return AppendCoreAsync(decision.AccountId, null, idempotency, _ => new Decided(decision, entry), cancellationToken);
    }

    public Task<AppendResult> DecideAsync(string accountId, DateTimeOffset windowStart, DateTimeOffset windowEnd, IdempotencyKey? idempotency, Func<IReadOnlyList<TimelineEntry>, Decided> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(decide);
        return AppendCoreAsync(accountId, TimelineWindow.Of(windowStart, windowEnd), idempotency, decide, cancellationToken);
    }

    /// <summary>
    /// One check as one link of the account's chain. With warm knowledge of the account this is two calls: the
    /// day-index upsert and one transaction (decision, timeline entry, chain head under its ETag, draft row,
    /// idempotency row). A refused transaction tells what this instance did not know: the head moved (reload the
    /// head and timeline, decide again on them), the draft was checked before (read its row, replace its entry),
    /// or the idempotency key was used (return the earlier decision).
    /// </summary>
    private async Task<AppendResult> AppendCoreAsync(string accountId, TimelineWindow? window, IdempotencyKey? idempotency, Func<IReadOnlyList<TimelineEntry>, Decided> decide, CancellationToken cancellationToken)
    {
        var partition = Keys.Partition(accountId);
        var account = _accounts.For(partition);
        await EnterAsync(account, cancellationToken);
        try
        {
            Pending? pending = null;
            for (var round = 0; round < MaxChainRetries; round++)
            {
                if (!account.HeadKnown || (window is { } needed && account.Missing(needed.Low, needed.High).Count > 0))
                {
                    await RunAsync("read-timeline", async ct =>
                    {
                        if (!account.HeadKnown)
                        {
                            await ReadHeadAsync(account, partition, ct);
                        }

                        if (window is { } w)
                        {
                            await CoverAsync(account, partition, w, ct);
                        }

                        return true;
                    }, cancellationToken);
                }

                // NOTE: the decision is made on the timeline as of the head it will extend; when that knowledge was
                // dropped, the decision is made again. Its keys stay: only a refused transaction leads here, and a
                // refused transaction wrote nothing.
                if (pending is null || pending.Generation != account.Generation)
                {
                    // NOTE: the rules read the cached timeline in place, under the account's lock, which is held
                    // until the decision is made.
                    var decided = decide(window is { } w ? account.Between(w.From, w.Until) : []);
                    var indexed = pending is not null && pending.Indexed && pending.Decided.Decision.Verdict == decided.Decision.Verdict;
                    pending = new Pending(decided, account.Generation) { Indexed = indexed };
                }

                if (!pending.Indexed)
                {
                    await WriteDayIndexAsync(DecisionEntity.ToDayIndexEntity(pending.Decided.Decision), cancellationToken);
                    pending.Indexed = true;
                }

                var attempts = 0;
                var step = await RunAsync("append", async ct =>
                {
                    attempts++;
                    if (attempts > 1 && await AlreadyLoggedAsync(pending.DecisionEntity, ct))
                    {
                        account.Reset();
                        return AppendStep.Logged;
                    }

                    return await SubmitAsync(account, partition, pending, idempotency, ct);
                }, cancellationToken);

                switch (step)
                {
                    case AppendStep.Logged:
                        return new AppendResult(AppendOutcome.Logged, pending.Decided.Decision);
                    case AppendStep.DraftKnown:
                        continue;
                    case AppendStep.KeyUsed or AppendStep.Unknown when idempotency is not null:
                        if (await FindIdempotentAsync(accountId, idempotency.Key, cancellationToken) is { } earlier)
                        {
                            return earlier.BodyHash == idempotency.BodyHash
                                ? new AppendResult(AppendOutcome.Replayed, earlier.Decision)
                                : new AppendResult(AppendOutcome.KeyReused, earlier.Decision);
                        }

                        break;
                }

                // NOTE: each round only one writer wins, and losers that retry at once collide again; without a
                // jittered, growing pause, twenty concurrent checks on one account used up the rounds and got 503.
                if (round < MaxChainRetries - 1)
                {
                    await Task.Delay(ContentionDelay(round), _time, cancellationToken);
                }
            }

            throw new StorageUnavailableException("The account's decision chain stayed contended; retry the request.");
        }
        finally
        {
            account.Lock.Release();
        }
    }

    private async Task<AppendStep> SubmitAsync(AccountTimeline account, string partition, Pending pending, IdempotencyKey? idempotency, CancellationToken cancellationToken)
    {
        var decision = pending.Decided.Decision;
        var decisionEntity = pending.DecisionEntity;
        var sequence = account.Sequence + 1;
        var hash = DecisionEntity.ChainHash(account.HeadHash, sequence, pending.ContentHash);
        decisionEntity["PreviousHash"] = account.HeadHash;
        decisionEntity["Sequence"] = sequence;
        decisionEntity["Hash"] = hash;
        var actions = new List<TableTransactionAction>(6)
        {
            new(TableTransactionActionType.Add, decisionEntity),
            new(TableTransactionActionType.Add, pending.TimelineEntity),
        };
        var newHead = new TableEntity(partition, Keys.ChainHeadRow)
        {
            ["Hash"] = hash,
            ["Sequence"] = sequence,
            ["DecisionRowKey"] = decisionEntity.RowKey,
            ["DecisionId"] = decision.DecisionId,
        };
        var headIndex = actions.Count;
        actions.Add(account.HeadExists
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, newHead, account.HeadETag)
            : new TableTransactionAction(TableTransactionActionType.Add, newHead));

        // NOTE: a re-check of a draft replaces the draft's timeline entry, so cadence never counts a draft twice; the
        // earlier decision stays in the log. A draft this instance does not know is inserted: if it exists after
        // all, the refusal says so and its row is read once.
        string? draftRow = null;
        string? replacedRow = null;
        if (decision.DraftId is { } draftId)
        {
            var row = new TableEntity(partition, Keys.DraftRow(draftId))
            {
                ["DraftId"] = draftId,
                ["DecisionId"] = decision.DecisionId,
                ["TimelineRowKey"] = pending.TimelineEntity.RowKey,
            };
            draftRow = row.RowKey;
            if (account.Drafts.TryGetValue(draftId, out var earlierRow))
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
                if (earlierRow != pending.TimelineEntity.RowKey)
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, earlierRow), ETag.All));
                    replacedRow = earlierRow;
                }
            }
            else
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
            }
        }

        string? idempotencyRow = null;
        if (idempotency is not null)
        {
            idempotencyRow = Keys.IdempotencyRow(idempotency.Key);
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, idempotencyRow)
            {
                ["DecisionId"] = decision.DecisionId,
                ["DecisionRowKey"] = decisionEntity.RowKey,
                ["BodyHash"] = idempotency.BodyHash,
            }));
        }

        try
        {
            var response = await _table.SubmitTransactionAsync(actions, cancellationToken);
            var results = response.Value;
            var etag = results is not null && results.Count == actions.Count ? results[headIndex].Headers.ETag : null;
            account.Committed(sequence, hash, etag, _time.GetTimestamp(), pending.TimelineEntity.RowKey, pending.Decided.Entry, replacedRow);
            return AppendStep.Logged;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            // NOTE: an earlier attempt may have committed while its answer was lost; the transaction is
            // all-or-nothing, so the decision row tells.
            if (await AlreadyLoggedAsync(decisionEntity, cancellationToken))
            {
                Log.AlreadyLogged(_logger, decision.DecisionId);
                account.Reset();
                return AppendStep.Logged;
            }

            var failed = ex.FailedTransactionActionIndex is int i && i >= 0 && i < actions.Count ? actions[i].Entity.RowKey : null;
            if (failed is not null && failed == idempotencyRow)
            {
                return AppendStep.KeyUsed;
            }

            string? earlierRow = null;
            if (ex.Status == 409 && draftRow is not null && (failed is null || failed == draftRow) && !account.Drafts.ContainsKey(decision.DraftId!))
            {
                var existing = await _table.GetEntityIfExistsAsync<TableEntity>(partition, draftRow, cancellationToken: cancellationToken);
                earlierRow = existing.HasValue ? existing.Value!.GetString("TimelineRowKey") : null;
            }

            if (failed is not null && failed == draftRow && earlierRow is not null)
            {
                account.Drafts[decision.DraftId!] = earlierRow;
                return AppendStep.DraftKnown;
            }

            // NOTE: otherwise another writer got in first (the head moved, or it raced this first decision of the
            // account): what this instance knew of the account is stale and is read again. A draft row just read
            // is current, and is kept.
            account.Reset();
            if (earlierRow is not null)
            {
                account.Drafts[decision.DraftId!] = earlierRow;
            }

            return failed is null ? AppendStep.Unknown : AppendStep.Contended;
        }
    }

    /// <summary>Full jitter: a random pause up to the round's cap, so contending writers spread out.</summary>
    private static TimeSpan ContentionDelay(int round) =>
        TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * Math.Min(FirstContentionDelay.Ticks << Math.Min(round, 16), MaxContentionDelay.Ticks)));

    private enum AppendStep
    {
        Logged,

        /// <summary>The head moved under this writer.</summary>
        Contended,

        /// <summary>The draft was checked before; its row is now known.</summary>
        DraftKnown,

        /// <summary>The idempotency key was used before.</summary>
        KeyUsed,

        /// <summary>Refused, and the service did not say which row.</summary>
        Unknown,
    }

    /// <summary>A decision on its way into the log: its rows are fixed once made, except the chain fields.</summary>
    private sealed class Pending(Decided decided, int generation)
    {
        public Decided Decided { get; } = decided;

        public int Generation { get; } = generation;

        public TableEntity DecisionEntity { get; } = Storage.DecisionEntity.ToEntity(decided.Decision);

        public TableEntity TimelineEntity { get; } = Storage.DecisionEntity.ToEntity(decided.Decision.AccountId, decided.Entry);

        public string ContentHash => DecisionEntity.GetString("ContentHash");

        public bool Indexed { get; set; }
    }

    /// <summary>How much more than the window asked for is read when part of it is not cached yet.</summary>
    public static readonly TimeSpan TimelineReadAhead = TimeSpan.FromDays(7);

    /// <summary>
    /// A window of the timeline as row-key bounds: the rows the rules get, and the wider range read when they are not
    /// all cached, so that checks of posts scheduled around it find their rows cached.
    /// </summary>
    /// <remarks>
    /// <see cref="From"/> and <see cref="Until"/> are the instants [From, Until) of the rows between <see cref="Low"/>
    /// and <see cref="High"/>, for reading the account's indexed timeline.
    /// </remarks>
    private readonly record struct TimelineWindow(string Low, string High, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset From, DateTimeOffset Until)
    {
        /// <summary>The low end of the range read when part of the window is not cached: the window's start less the read-ahead.</summary>
        public string ReadLow => Keys.TimelineBound(Clamp(Start, -TimelineReadAhead), high: false);

        /// <summary>The high end of the range read when part of the window is not cached: the window's end plus the read-ahead.</summary>
        public string ReadHigh => Keys.TimelineBound(Clamp(End, TimelineReadAhead), high: true);

        public static TimelineWindow Of(DateTimeOffset start, DateTimeOffset end)
        {
            var (from, until) = Keys.TimelineInstants(start, end);
            return new(Keys.TimelineBound(start, high: false), Keys.TimelineBound(end, high: true), start, end, from, until);
        }

        private static DateTimeOffset Clamp(DateTimeOffset at, TimeSpan by) =>
            by < TimeSpan.Zero
                ? (at - DateTimeOffset.MinValue < -by ? DateTimeOffset.MinValue : at + by)
                : (DateTimeOffset.MaxValue - at < by ? DateTimeOffset.MaxValue : at + by);
    }

    /// <summary>Waits for the account, at most as long as a storage call may take in all.</summary>
    private async Task EnterAsync(AccountTimeline account, CancellationToken cancellationToken)
    {
        if (!await account.Lock.WaitAsync(_accountWait, cancellationToken))
        {
            throw new StorageUnavailableException("The account is busy with other checks; retry the request.");
        }
    }

    private async Task ReadHeadAsync(AccountTimeline account, string partition, CancellationToken cancellationToken)
    {
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(partition, Keys.ChainHeadRow, cancellationToken: cancellationToken);
        account.HeadRead(head.HasValue ? head.Value : null, _time.GetTimestamp());
    }

    /// <summary>When part of the window is not cached, reads the rows of its read-ahead range that are not cached yet.</summary>
    private async Task CoverAsync(AccountTimeline account, string partition, TimelineWindow window, CancellationToken cancellationToken)
    {
        if (account.Missing(window.Low, window.High).Count == 0)
        {
            return;
        }

        if (account.Count > AccountTimeline.MaxEntries)
        {
            account.Reset();
            await ReadHeadAsync(account, partition, cancellationToken);
        }

        foreach (var (from, fromInclusive, to, toInclusive) in account.Missing(window.ReadLow, window.ReadHigh))
        {
            var filter = (fromInclusive, toInclusive) switch
            {
                (true, true) => TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey le {to}"),
                (true, false) => TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}"),
                _ => TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {from} and RowKey le {to}"),
            };
            var rows = new List<KeyValuePair<string, TimelineEntry>>();
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                rows.Add(new(entity.RowKey, DecisionEntity.ToTimelineEntry(entity)));
            }

            account.Covered(from, to, rows);
        }
    }

    private async Task<bool> AlreadyLoggedAsync(TableEntity decisionEntity, CancellationToken cancellationToken)
    {
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(decisionEntity.PartitionKey, decisionEntity.RowKey, cancellationToken: cancellationToken);
        return existing.HasValue && existing.Value!.GetString("ContentHash") == decisionEntity.GetString("ContentHash");
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
