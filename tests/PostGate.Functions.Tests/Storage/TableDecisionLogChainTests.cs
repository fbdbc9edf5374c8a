using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using PostGate.Rules.Engine;
using Xunit;

namespace PostGate.Functions.Tests.Storage;

/// <summary>
/// The chain head under contention, against a substitute <see cref="TableClient"/>: another writer moving the
/// head between the read and the submit must cost a re-read, never a fork or a lost decision.
/// </summary>
public sealed class TableDecisionLogChainTests : IDisposable
{
    private static readonly DateTimeOffset DecidedAt = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private readonly TableClient _table = Substitute.For<TableClient>();
    private readonly TableDecisionLog _log;
    private readonly List<Submitted> _submitted = [];
    private readonly List<IReadOnlyList<(TableTransactionActionType Type, string RowKey)>> _rows = [];
    private readonly Queue<Task<Response<IReadOnlyList<Response>>>> _answers = new();

    public TableDecisionLogChainTests()
    {
        var options = new StorageOptions
        {
            MaxRetries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            TotalTimeout = TimeSpan.FromSeconds(10),
        };
        _log = new TableDecisionLog(
            _table,
            StoragePipeline.Create(options, TimeProvider.System, NullLogger.Instance),
            NullLogger<TableDecisionLog>.Instance);

        // NOTE: the log reuses one decision entity across rounds, so each submission is copied as it is made.
        _table.SubmitTransactionAsync(
                Arg.Do<IEnumerable<TableTransactionAction>>(a =>
                {
                    _submitted.Add(Submitted.From([.. a]));
                    _rows.Add([.. a.Select(x => (x.ActionType, x.Entity.RowKey))]);
                }),
                Arg.Any<CancellationToken>())
            .Returns(_ => _answers.Dequeue());
        _table.GetEntityIfExistsAsync<TableEntity>(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<IEnumerable<string>>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<NullableResponse<TableEntity>>(new NoValue()));
    }

    public void Dispose() => _log.Dispose();

    /// <summary>What one transaction carried: the decision's chain fields and the head action.</summary>
    private sealed record Submitted(long Sequence, string PreviousHash, string Hash, TableTransactionActionType HeadAction, ETag HeadETag, long HeadSequence)
    {
        public static Submitted From(IReadOnlyList<TableTransactionAction> actions)
        {
            var decision = actions.Single(a => a.Entity.RowKey.StartsWith(Keys.DecisionPrefix, StringComparison.Ordinal));
            var head = actions.Single(a => a.Entity.RowKey == Keys.ChainHeadRow);
            var row = (TableEntity)decision.Entity;
            return new Submitted(
                row.GetInt64("Sequence") ?? 0,
                row.GetString("PreviousHash"),
                row.GetString("Hash"),
                head.ActionType,
                head.ETag,
                ((TableEntity)head.Entity).GetInt64("Sequence") ?? 0);
        }
    }

    private static (DecisionResponse Decision, TimelineEntry Entry) Decision()
    {
        var id = Keys.NewDecisionId(DecidedAt);
        var decision = new DecisionResponse(
            id, "acme", "d-1", "allow", [], [], "2026.1", DecidedAt, Logged: true,
            new DraftResponse("acme", "x", "Hello.", DecidedAt, "d-1", null, null, null, [], 0));
        return (decision, new TimelineEntry(id, "d-1", DecidedAt, Channel.X, PostKind.Broadcast, 0, 0));
    }

    private static TableEntity Head(long sequence, string hash, string etag) =>
        new(Keys.Partition("acme"), Keys.ChainHeadRow)
        {
            ["Sequence"] = sequence,
            ["Hash"] = hash,
            ETag = new ETag(etag),
        };

    private static Task<NullableResponse<TableEntity>> Found(TableEntity entity) =>
        Task.FromResult<NullableResponse<TableEntity>>(Response.FromValue(entity, Substitute.For<Response>()));

    private static Task<Response<IReadOnlyList<Response>>> Committed() =>
        Task.FromResult(Response.FromValue<IReadOnlyList<Response>>([], Substitute.For<Response>()));

    private static Task<Response<IReadOnlyList<Response>>> Failed(Exception exception) =>
        Task.FromException<Response<IReadOnlyList<Response>>>(exception);

    [Fact]
    public async Task Append_HeadMovedBeforeSubmit_RereadsHeadAndSubmitsWithNextSequence()
    {
        var (decision, entry) = Decision();
        var first = Head(4, "hash-4", "W/\"4\"");
        var moved = Head(5, "hash-5", "W/\"5\"");
        _table.GetEntityIfExistsAsync<TableEntity>(Arg.Any<string>(), Keys.ChainHeadRow, Arg.Any<IEnumerable<string>>(), Arg.Any<CancellationToken>())
            .Returns(Found(first), Found(moved));
        _answers.Enqueue(Failed(new TableTransactionFailedException(new RequestFailedException(412, "UpdateConditionNotSatisfied"))));
        _answers.Enqueue(Committed());

        var result = await _log.AppendAsync(decision, entry, null, CancellationToken.None);

        Assert.Equal(AppendOutcome.Logged, result.Outcome);
        await _table.Received(2).GetEntityIfExistsAsync<TableEntity>(Arg.Any<string>(), Keys.ChainHeadRow, Arg.Any<IEnumerable<string>>(), Arg.Any<CancellationToken>());
        Assert.Equal(2, _submitted.Count);

        var contentHash = DecisionEntity.ContentHash(decision);
        var (refused, accepted) = (_submitted[0], _submitted[1]);
        Assert.Equal(new Submitted(5, "hash-4", DecisionEntity.ChainHash("hash-4", 5, contentHash), TableTransactionActionType.UpdateReplace, first.ETag, 5), refused);
        Assert.Equal(new Submitted(6, "hash-5", DecisionEntity.ChainHash("hash-5", 6, contentHash), TableTransactionActionType.UpdateReplace, moved.ETag, 6), accepted);
    }

    [Fact]
    public async Task Append_FirstDecisionRacedByAnother_AddsHeadThenReplacesTheOtherOne()
    {
        var (decision, entry) = Decision();
        var other = Head(1, "hash-1", "W/\"1\"");
        _table.GetEntityIfExistsAsync<TableEntity>(Arg.Any<string>(), Keys.ChainHeadRow, Arg.Any<IEnumerable<string>>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<NullableResponse<TableEntity>>(new NoValue()), Found(other));
        _answers.Enqueue(Failed(new TableTransactionFailedException(new RequestFailedException(409, "EntityAlreadyExists"))));
        _answers.Enqueue(Committed());

        var result = await _log.AppendAsync(decision, entry, null, CancellationToken.None);

        // NOTE: with no head yet the head row is added, so the race shows as 409 on the head, not 412.
        Assert.Equal(AppendOutcome.Logged, result.Outcome);
        Assert.Equal(2, _submitted.Count);
        Assert.Equal((1L, string.Empty, TableTransactionActionType.Add), (_submitted[0].Sequence, _submitted[0].PreviousHash, _submitted[0].HeadAction));
        Assert.Equal((2L, "hash-1", TableTransactionActionType.UpdateReplace, other.ETag), (_submitted[1].Sequence, _submitted[1].PreviousHash, _submitted[1].HeadAction, _submitted[1].HeadETag));
    }

    [Fact]
    public async Task Append_DraftCheckedBeforeAndRefusalNamesNoRow_ReplacesTheDraftsEntryNextRound()
    {
        var (decision, entry) = Decision();
        var draftRow = new TableEntity(Keys.Partition("acme"), Keys.DraftRow("d-1")) { ["TimelineRowKey"] = "t_earlier" };
        _table.GetEntityIfExistsAsync<TableEntity>(Arg.Any<string>(), Keys.DraftRow("d-1"), Arg.Any<IEnumerable<string>>(), Arg.Any<CancellationToken>())
            .Returns(Found(draftRow));
        _answers.Enqueue(Failed(new TableTransactionFailedException(new RequestFailedException(409, "EntityAlreadyExists"))));
        _answers.Enqueue(Committed());

        var result = await _log.AppendAsync(decision, entry, null, CancellationToken.None);

        // NOTE: the service did not say which row it refused; the draft row read then must not be forgotten with
        // the rest, or every round would insert the draft again.
        Assert.Equal(AppendOutcome.Logged, result.Outcome);
        Assert.Equal(2, _rows.Count);
        Assert.Contains((TableTransactionActionType.Add, Keys.DraftRow("d-1")), _rows[0]);
        Assert.Contains((TableTransactionActionType.UpsertReplace, Keys.DraftRow("d-1")), _rows[1]);
        Assert.Contains((TableTransactionActionType.Delete, "t_earlier"), _rows[1]);
    }

    private sealed class NoValue : NullableResponse<TableEntity>
    {
        public override bool HasValue => false;

        public override TableEntity? Value => null;

        public override Response GetRawResponse() => Substitute.For<Response>();
    }
}
