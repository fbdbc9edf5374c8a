using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using PostGate.Rules.Engine;
using Xunit;

namespace PostGate.Functions.Tests.Storage;

/// <summary>
/// Retries and failure translation against a substitute <see cref="TableClient"/>: Azurite never throttles
/// and never loses an answer, so these paths are tested here rather than in Integration/.
/// </summary>
public sealed class TableDecisionLogTests : IDisposable
{
    private const int MaxRetries = 2;

    private static readonly DateTimeOffset DecidedAt = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private readonly TableClient _table = Substitute.For<TableClient>();
    private readonly TableDecisionLog _log;

    public TableDecisionLogTests()
    {
        var options = new StorageOptions
        {
            MaxRetries = MaxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            TotalTimeout = TimeSpan.FromSeconds(10),
        };
        _log = new TableDecisionLog(
            _table,
            StoragePipeline.Create(options, TimeProvider.System, NullLogger.Instance),
            NullLogger<TableDecisionLog>.Instance);
    }

    public void Dispose() => _log.Dispose();

    private static (DecisionResponse Decision, TimelineEntry Entry) Decision()
    {
        var id = Keys.NewDecisionId(DecidedAt);
        var decision = new DecisionResponse(
            id, "acme", "d-1", "allow", [], [], "2026.1", DecidedAt, Logged: true,
            new DraftResponse("acme", "x", "Hello.", DecidedAt, "d-1", null, null, null, [], 0));
        return (decision, new TimelineEntry(id, "d-1", DecidedAt, Channel.X, PostKind.Broadcast, 0, 0));
    }

    private void StoredDecision(TableEntity? entity) =>
        _table.GetEntityIfExistsAsync<TableEntity>(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<IEnumerable<string>>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<NullableResponse<TableEntity>>(
                entity is null ? new NoValue() : Response.FromValue(entity, Substitute.For<Response>())));

    private static Task<Response<IReadOnlyList<Response>>> Failed(Exception exception) =>
        Task.FromException<Response<IReadOnlyList<Response>>>(exception);

    private static TableTransactionFailedException Conflict() => new(new RequestFailedException(409, "EntityAlreadyExists"));

    [Fact]
    public async Task Append_AnswerLostThenConflictWithSameContent_CountsAsLogged()
    {
        var (decision, entry) = Decision();
        _table.SubmitTransactionAsync(Arg.Any<IEnumerable<TableTransactionAction>>(), Arg.Any<CancellationToken>())
            .Returns(Failed(new RequestFailedException(503, "ServerBusy")), Failed(Conflict()));
        StoredDecision(DecisionEntity.ToEntity(decision));

        await _log.AppendAsync(decision, entry, null, CancellationToken.None);

        // NOTE: the retry reads the decision row first and finds the lost write, so it submits nothing again.
        await _table.ReceivedWithAnyArgs(1).SubmitTransactionAsync(default!, default);
    }

    [Fact]
    public async Task Append_ConflictWithOtherContentUnderTheSameKeys_IsNeverTakenAsLogged()
    {
        var (decision, entry) = Decision();
        _table.SubmitTransactionAsync(Arg.Any<IEnumerable<TableTransactionAction>>(), Arg.Any<CancellationToken>())
            .Returns(Failed(new RequestFailedException(503, "ServerBusy")), Failed(Conflict()));
        StoredDecision(DecisionEntity.ToEntity(decision with { Verdict = "block" }));

        await Assert.ThrowsAsync<StorageUnavailableException>(() => _log.AppendAsync(decision, entry, null, CancellationToken.None));
    }

    [Fact]
    public async Task Append_ConflictWhileOtherContentStaysUnderTheKeys_GivesUpAfterBoundedRounds()
    {
        var (decision, entry) = Decision();
        _table.SubmitTransactionAsync(Arg.Any<IEnumerable<TableTransactionAction>>(), Arg.Any<CancellationToken>()).ThrowsAsync(Conflict());

        await Assert.ThrowsAsync<StorageUnavailableException>(() => _log.AppendAsync(decision, entry, null, CancellationToken.None));
        await _table.ReceivedWithAnyArgs(TableDecisionLog.MaxChainRetries).SubmitTransactionAsync(default!, default);
    }

    [Fact]
    public async Task Append_WritesDecisionAndTimelineInOnePartition()
    {
        var (decision, entry) = Decision();
        IReadOnlyList<TableTransactionAction>? actions = null;
        _table.SubmitTransactionAsync(Arg.Do<IEnumerable<TableTransactionAction>>(a => actions = [.. a]), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(Response.FromValue<IReadOnlyList<Response>>([], Substitute.For<Response>())));

        await _log.AppendAsync(decision, entry, null, CancellationToken.None);

        // NOTE: Azurite accepts transactions that span partitions and Azure rejects them, so this is checked by construction.
        Assert.NotNull(actions);
        Assert.Equal(TableTransactionActionType.Add, actions[0].ActionType);
        Assert.Equal(TableTransactionActionType.Add, actions[1].ActionType);
        Assert.StartsWith(Keys.DecisionPrefix, actions[0].Entity.RowKey, StringComparison.Ordinal);
        Assert.StartsWith(Keys.TimelinePrefix, actions[1].Entity.RowKey, StringComparison.Ordinal);
        Assert.Contains(actions, a => a.Entity.RowKey == Keys.ChainHeadRow);
        Assert.Single(actions.Select(a => a.Entity.PartitionKey).Distinct());
        Assert.Equal(Keys.Partition("acme"), actions[0].Entity.PartitionKey);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Append_StorageKeepsFailing_ThrowsUnavailableAfterRetries(int status)
    {
        var (decision, entry) = Decision();
        _table.SubmitTransactionAsync(Arg.Any<IEnumerable<TableTransactionAction>>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new RequestFailedException(status, "down"));

        var exception = await Assert.ThrowsAsync<StorageUnavailableException>(() => _log.AppendAsync(decision, entry, null, CancellationToken.None));

        Assert.IsType<RequestFailedException>(exception.InnerException);
        await _table.ReceivedWithAnyArgs(MaxRetries + 1).SubmitTransactionAsync(default!, default);
    }

    [Fact]
    public async Task Append_TableCannotBeCreated_ThrowsUnavailable()
    {
        var (decision, entry) = Decision();
        _table.CreateIfNotExistsAsync(Arg.Any<CancellationToken>()).ThrowsAsync(new RequestFailedException(0, "refused"));

        await Assert.ThrowsAsync<StorageUnavailableException>(() => _log.AppendAsync(decision, entry, null, CancellationToken.None));
        await _table.DidNotReceiveWithAnyArgs().SubmitTransactionAsync(default!, default);
    }

    [Fact]
    public async Task Append_CallerCancels_IsNotReportedAsUnavailable()
    {
        var (decision, entry) = Decision();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _log.AppendAsync(decision, entry, null, cancelled.Token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("acme")]
    [InlineData("3f2504e04f8941d39a0c0305e82c3301")]
    public async Task Get_ForeignDecisionId_IsNullWithoutAskingStorage(string decisionId)
    {
        Assert.Null(await _log.GetAsync("acme", decisionId, CancellationToken.None));
        await _table.DidNotReceiveWithAnyArgs().GetEntityIfExistsAsync<TableEntity>(default!, default!, default, default);
    }

    [Fact]
    public async Task Get_Missing_IsNull()
    {
        StoredDecision(null);

        Assert.Null(await _log.GetAsync("acme", Keys.NewDecisionId(DecidedAt), CancellationToken.None));
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("!!!")]
    // Base64url of "pg2:x": our prefix without the day separator.
    [InlineData("cGcyOng")]
    // Base64url of "pg1:": an older prefix.
    [InlineData("cGcxOg")]
    public async Task List_ForeignContinuationToken_ThrowsBeforeAskingStorage(string token)
    {
        await Assert.ThrowsAsync<InvalidContinuationTokenException>(() => _log.ListAsync(new DecisionQuery { AccountId = "acme", PageSize = 10, ContinuationToken = token }, CancellationToken.None));
        await _table.DidNotReceiveWithAnyArgs().CreateIfNotExistsAsync(default);
    }

    private sealed class NoValue : NullableResponse<TableEntity>
    {
        public override bool HasValue => false;

        public override TableEntity? Value => null;

        public override Response GetRawResponse() => Substitute.For<Response>();
    }
}
