using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using PostGate.Rules.Engine;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>
/// What an instance keeps of an account between checks, on Azurite, counting every request it makes: a warm check
/// costs the day-index upsert and one transaction; whatever another instance wrote meanwhile is found through the
/// refused transaction and decided on, never skipped.
/// </summary>
[Collection(UsesAzurite.Name)]
public sealed class AccountCacheTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private readonly AzuriteFixture _azurite;
    private readonly string _table;
    private readonly List<TableDecisionLog> _logs = [];

    public AccountCacheTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _table = azurite.TableFor(typeof(AccountCacheTests));
    }

    public void Dispose()
    {
        foreach (var log in _logs)
        {
            log.Dispose();
        }
    }

    /// <summary>A log of its own (one instance of the app), with the requests it sends counted.</summary>
    private (TableDecisionLog Log, CountingTransport Requests) Instance(TimeProvider? time = null)
    {
        var requests = new CountingTransport();
        var client = new TableClient(_azurite.ConnectionString, _table, new TableClientOptions { Transport = requests, Retry = { MaxRetries = 0 } });
        var options = new StorageOptions { TotalTimeout = TimeSpan.FromSeconds(10), AttemptTimeout = TimeSpan.FromSeconds(5), MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(50) };
        var log = new TableDecisionLog(client, StoragePipeline.Create(options, TimeProvider.System, NullLogger.Instance), NullLogger<TableDecisionLog>.Instance, time, options);
        _logs.Add(log);
        return (log, requests);
    }

    private static string NewAccount() => "cache-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A decision function that records each timeline it was given.</summary>
    private sealed class Decider(string accountId, string? draftId, DateTimeOffset scheduledAt)
    {
        public List<IReadOnlyList<TimelineEntry>> Seen { get; } = [];

        public string DecisionId { get; } = Keys.NewDecisionId(DateTimeOffset.UtcNow);

        public Decided Decide(IReadOnlyList<TimelineEntry> timeline)
        {
            Seen.Add([.. timeline]);
            var decidedAt = Keys.DecisionTime(DecisionId)!.Value;
            var verdict = timeline.Count > 0 ? "coach" : "allow";
            var decision = new DecisionResponse(
                DecisionId, accountId, draftId, verdict, [], [], "policy-1", decidedAt, Logged: true,
                new DraftResponse(accountId, "x", $"Post with {timeline.Count} before it.", scheduledAt, draftId, null, null, null, [], 0));
            return new Decided(decision, new TimelineEntry(DecisionId, draftId, scheduledAt, Channel.X, PostKind.Broadcast, 0, 0));
        }
    }

    private static async Task<(AppendResult Result, Decider Decider)> DecideAsync(TableDecisionLog log, string accountId, string? draftId, DateTimeOffset scheduledAt, IdempotencyKey? key = null)
    {
        var decider = new Decider(accountId, draftId, scheduledAt);
        var result = await log.DecideAsync(accountId, scheduledAt.AddDays(-7), scheduledAt.AddDays(1), key, decider.Decide, CancellationToken.None);
        return (result, decider);
    }

    [Fact]
    public async Task Decide_WarmAccount_SendsTheDayIndexAndOneTransaction()
    {
        var (log, requests) = Instance();
        var account = NewAccount();
        await DecideAsync(log, account, "d-1", At);

        requests.Clear();
        var (result, decider) = await DecideAsync(log, account, "d-2", At, new IdempotencyKey("key-2", "body-2"));

        Assert.Equal(AppendOutcome.Logged, result.Outcome);
        Assert.Equal(["PUT", "POST"], requests.Methods);
        Assert.Single(Assert.Single(decider.Seen));
        var report = await log.VerifyAsync(account, CancellationToken.None);
        Assert.True(report.Intact, report.FirstBreak?.Reason);
        Assert.Equal(2, report.Decisions);
    }

    [Fact]
    public async Task Decide_NearbyWindow_IsServedFromTheReadAhead_AFarOneReadsOnlyWhatIsMissing()
    {
        var (log, requests) = Instance();
        var account = NewAccount();
        await DecideAsync(log, account, "d-1", At);

        requests.Clear();
        await DecideAsync(log, account, "d-2", At.AddDays(5));
        Assert.Equal(["PUT", "POST"], requests.Methods);

        requests.Clear();
        var (result, decider) = await DecideAsync(log, account, "d-3", At.AddDays(12));

        Assert.Equal(AppendOutcome.Logged, result.Outcome);
        Assert.Equal(["GET", "PUT", "POST"], requests.Methods);
        Assert.Equal([At.AddDays(5)], Assert.Single(decider.Seen).Select(e => e.ScheduledAt));
    }

    [Fact]
    public async Task Decide_RecheckOfKnownDraft_ReplacesItsEntryWithoutReading()
    {
        var (log, requests) = Instance();
        var account = NewAccount();
        await DecideAsync(log, account, "d-1", At);

        requests.Clear();
        var (result, _) = await DecideAsync(log, account, "d-1", At);

        Assert.Equal(AppendOutcome.Logged, result.Outcome);
        Assert.Equal(["PUT", "POST"], requests.Methods);
        var fresh = await Instance().Log.ReadTimelineAsync(account, At.AddDays(-1), At.AddDays(1), CancellationToken.None);
        Assert.Equal(result.Decision.DecisionId, Assert.Single(fresh).DecisionId);
    }

    [Fact]
    public async Task Decide_AfterAnotherInstanceWrote_DecidesAgainOnTheTimelineWithItsPost()
    {
        var (first, _) = Instance();
        var (second, _) = Instance();
        var account = NewAccount();
        await DecideAsync(first, account, "d-1", At);
        var (other, _) = await DecideAsync(second, account, "d-2", At.AddHours(1));

        var (result, decider) = await DecideAsync(first, account, "d-3", At.AddHours(2));

        Assert.Equal(AppendOutcome.Logged, result.Outcome);
        Assert.Equal(2, decider.Seen.Count);
        Assert.Single(decider.Seen[0]);
        Assert.Contains(decider.Seen[1], e => e.DecisionId == other.Decision.DecisionId);
        Assert.Equal(2, decider.Seen[1].Count);
        Assert.Equal("Post with 2 before it.", result.Decision.Draft.Text);
        var report = await first.VerifyAsync(account, CancellationToken.None);
        Assert.True(report.Intact, report.FirstBreak?.Reason);
        Assert.Equal(3, report.Decisions);
    }

    [Fact]
    public async Task Decide_RecheckOfDraftThisInstanceNeverSaw_ReadsItsRowOnceAndReplacesTheEntry()
    {
        var (writer, _) = Instance();
        var account = NewAccount();
        var (earlier, _) = await DecideAsync(writer, account, "d-far", At.AddDays(30));

        var (log, requests) = Instance();
        var (result, decider) = await DecideAsync(log, account, "d-far", At);

        Assert.Equal(AppendOutcome.Logged, result.Outcome);
        Assert.Single(decider.Seen);
        Assert.Equal(2, requests.Transactions);
        var fresh = Instance().Log;
        Assert.Empty(await fresh.ReadTimelineAsync(account, At.AddDays(29), At.AddDays(31), CancellationToken.None));
        Assert.Equal(result.Decision.DecisionId, Assert.Single(await fresh.ReadTimelineAsync(account, At.AddDays(-1), At.AddDays(1), CancellationToken.None)).DecisionId);
        Assert.NotEqual(earlier.Decision.DecisionId, result.Decision.DecisionId);
    }

    [Fact]
    public async Task Decide_SameIdempotencyKeyOnAnotherInstance_ReturnsTheFirstDecision()
    {
        var (first, _) = Instance();
        var (second, _) = Instance();
        var account = NewAccount();
        var key = new IdempotencyKey("key-1", "body-1");
        var (original, _) = await DecideAsync(first, account, "d-1", At, key);

        var (replayed, _) = await DecideAsync(second, account, "d-1", At, key);
        var (reused, _) = await DecideAsync(second, account, "d-1", At, key with { BodyHash = "body-2" });

        Assert.Equal(AppendOutcome.Replayed, replayed.Outcome);
        Assert.Equal(original.Decision.DecisionId, replayed.Decision.DecisionId);
        Assert.Equal(AppendOutcome.KeyReused, reused.Outcome);
        var report = await first.VerifyAsync(account, CancellationToken.None);
        Assert.Equal(1, report.Decisions);
    }

    [Fact]
    public async Task ReadTimeline_WithinFreshness_ServesWhatItKnows_AfterwardsConfirmsTheHead()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (log, requests) = Instance(time);
        var account = NewAccount();
        await DecideAsync(log, account, "d-1", At);

        requests.Clear();
        var cached = await log.ReadTimelineAsync(account, At.AddDays(-7), At.AddDays(1), CancellationToken.None);
        Assert.Empty(requests.Methods);
        Assert.Single(cached);

        await DecideAsync(Instance().Log, account, "d-2", At.AddHours(1));
        time.Advance(new StorageOptions().TimelineFreshness + TimeSpan.FromSeconds(1));
        var confirmed = await log.ReadTimelineAsync(account, At.AddDays(-7), At.AddDays(1), CancellationToken.None);

        Assert.Equal(["GET", "GET"], requests.Methods);
        Assert.Equal(2, confirmed.Count);
    }

    [Fact]
    public async Task UseTimeline_LendsWhatReadTimelineReturns_InPlace_AndConfirmsTheHeadAsItDoes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (log, requests) = Instance(time);
        var account = NewAccount();
        await DecideAsync(log, account, "d-1", At);
        await DecideAsync(log, account, "d-2", At.AddHours(-3));

        requests.Clear();
        IReadOnlyList<TimelineEntry>? lent = null;
        var seen = await log.UseTimelineAsync<TimelineEntry[]>(account, At.AddDays(-7), At.AddDays(1), timeline => [.. (lent = timeline)], CancellationToken.None);
        Assert.Empty(requests.Methods);
        Assert.Equal([At.AddHours(-3), At], seen.Select(e => e.ScheduledAt));
        Assert.Equal(
            (await log.ReadTimelineAsync(account, At.AddDays(-7), At.AddDays(1), CancellationToken.None)).Select(e => e.DecisionId).Order(StringComparer.Ordinal),
            seen.Select(e => e.DecisionId).Order(StringComparer.Ordinal));

        // NOTE: lent, not given: once the cache has changed, the posts lent before refuse to be read.
        await DecideAsync(log, account, "d-3", At.AddHours(1));
        Assert.Throws<InvalidOperationException>(() => lent![0]);

        await DecideAsync(Instance().Log, account, "d-4", At.AddHours(2));
        time.Advance(new StorageOptions().TimelineFreshness + TimeSpan.FromSeconds(1));
        requests.Clear();
        var confirmed = await log.UseTimelineAsync(account, At.AddDays(-7), At.AddDays(1), timeline => timeline.Count, CancellationToken.None);

        Assert.Equal(["GET", "GET"], requests.Methods);
        Assert.Equal(4, confirmed);
    }

    [Fact]
    public async Task Decide_ConcurrentChecks_ShareDayIndexWrites_AndEveryDecisionIsIndexed()
    {
        var (log, requests) = Instance();
        await DecideAsync(log, NewAccount(), "warm-up", At);
        var accounts = Enumerable.Range(0, 32).Select(_ => NewAccount()).ToList();

        requests.Clear();
        var results = await Task.WhenAll(accounts.Select(a => DecideAsync(log, a, "d-1", At)));

        Assert.All(results, r => Assert.Equal(AppendOutcome.Logged, r.Result.Outcome));
        var indexWrites = requests.Methods.Count(m => m == "PUT") + requests.Transactions - accounts.Count;
        Assert.InRange(indexWrites, 1, accounts.Count - 1);
        var table = new TableClient(_azurite.ConnectionString, _table);
        var indexed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var day in results.Select(r => Keys.DayPartition(r.Result.Decision.DecidedAt)).Distinct())
        {
            await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {day}")))
            {
                indexed.Add(row.GetString("DecisionId"));
            }
        }

        Assert.All(results, r => Assert.Contains(r.Result.Decision.DecisionId, indexed));
    }

    /// <summary>Sends every request through the real HTTP transport and remembers each method.</summary>
    private sealed class CountingTransport : HttpPipelineTransport
    {
        private readonly HttpClientTransport _inner = HttpClientTransport.Shared;
        private readonly List<string> _methods = [];
        private int _transactions;

        /// <summary>Entity-group transactions sent (refused ones included).</summary>
        public int Transactions => Volatile.Read(ref _transactions);

        public IReadOnlyList<string> Methods
        {
            get
            {
                lock (_methods)
                {
                    return [.. _methods];
                }
            }
        }

        public void Clear()
        {
            lock (_methods)
            {
                _methods.Clear();
            }

            Interlocked.Exchange(ref _transactions, 0);
        }

        public override Request CreateRequest() => _inner.CreateRequest();

        public override void Process(HttpMessage message)
        {
            Remember(message);
            _inner.Process(message);
        }

        public override ValueTask ProcessAsync(HttpMessage message)
        {
            Remember(message);
            return _inner.ProcessAsync(message);
        }

        private void Remember(HttpMessage message)
        {
            lock (_methods)
            {
                _methods.Add(message.Request.Method.Method);
            }

            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _transactions);
            }
        }
    }
}
