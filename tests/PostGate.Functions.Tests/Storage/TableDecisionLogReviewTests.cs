using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Storage;

/// <summary>
/// Adding reviews against a substitute <see cref="TableClient"/>: the rows one review writes, their partition, and
/// lost answers and races that Azurite never produces on its own.
/// </summary>
public sealed class TableDecisionLogReviewTests : IDisposable
{
    private const int MaxRetries = 2;

    private static readonly DateTimeOffset DecidedAt = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private static readonly string DecisionId = Keys.NewDecisionId(DecidedAt);

    private readonly TableClient _table = Substitute.For<TableClient>();
    private readonly TableDecisionLog _log;
    private readonly List<IReadOnlyList<TableTransactionAction>> _transactions = [];

    public TableDecisionLogReviewTests()
    {
        var options = new StorageOptions
        {
            MaxRetries = MaxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            TotalTimeout = TimeSpan.FromSeconds(10),
        };
        _log = new TableDecisionLog(_table, StoragePipeline.Create(options, TimeProvider.System, NullLogger.Instance), NullLogger<TableDecisionLog>.Instance);
        Row(Keys.FinalReviewPrefix, null);
        Row(Keys.ReviewPrefix, null);
    }

    public void Dispose() => _log.Dispose();

    private static DecisionResponse Decision(string verdict = "review", string? callbackUrl = "https://hooks.example.com/x") =>
        new(DecisionId, "a/b", "d-1", verdict, [], [], "2026.1", DecidedAt, Logged: true,
            new DraftResponse("a/b", "x", "BUY NOW", DecidedAt.AddDays(1), "d-1", null, null, null, [], 0),
            CallbackUrl: callbackUrl);

    private static NewReview Review(string action = "approve", bool webhooks = true) =>
        new(Keys.NewReviewId(DecidedAt.AddHours(1)), action, "Checked.", "ann", "request", DecidedAt.AddHours(1), webhooks);

    /// <summary>What a point read of a row key starting with <paramref name="prefix"/> finds.</summary>
    private void Row(string prefix, TableEntity? entity) =>
        _table.GetEntityIfExistsAsync<TableEntity>(Arg.Any<string>(), Arg.Is<string>(k => k.StartsWith(prefix, StringComparison.Ordinal)), Arg.Any<IEnumerable<string>>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<NullableResponse<TableEntity>>(entity is null ? new NoValue() : Response.FromValue(entity, Substitute.For<Response>())));

    private void Submits(params Func<Task<Response<IReadOnlyList<Response>>>>[] answers)
    {
        var calls = 0;
        _table.SubmitTransactionAsync(Arg.Any<IEnumerable<TableTransactionAction>>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                _transactions.Add([.. call.Arg<IEnumerable<TableTransactionAction>>()]);
                return answers[Math.Min(calls++, answers.Length - 1)]();
            });
    }

    private static Task<Response<IReadOnlyList<Response>>> Committed() =>
        Task.FromResult(Response.FromValue<IReadOnlyList<Response>>([], Substitute.For<Response>()));

    private static Task<Response<IReadOnlyList<Response>>> Failed(int status) =>
        Task.FromException<Response<IReadOnlyList<Response>>>(new TableTransactionFailedException(new RequestFailedException(status, "x")));

    [Fact]
    public async Task AddReview_ApproveWithCallback_WritesItsRowsInTheAccountsPartition()
    {
        Row(Keys.DecisionPrefix, DecisionEntity.ToEntity(Decision()));
        Submits(Committed);
        var review = Review();

        var result = await _log.AddReviewAsync("a/b", DecisionId, review, CancellationToken.None);

        Assert.Equal((ReviewOutcome.Added, ReviewStatus.Approved, WebhookOutcome.Queued), (result.Outcome, result.Status, result.Webhook));
        var actions = Assert.Single(_transactions);

        // NOTE: Azurite accepts transactions across partitions and Azure does not, so this is checked by construction.
        Assert.All(actions, a => Assert.Equal(TableTransactionActionType.Add, a.ActionType));
        Assert.All(actions, a => Assert.Equal(Keys.Partition("a/b"), a.Entity.PartitionKey));
        Assert.Equal(
            [Keys.ReviewRow(DecisionId, review.At, review.ReviewId), Keys.FinalReviewRow(DecisionId), Keys.WebhookRow(review.ReviewId)],
            actions.Select(a => a.Entity.RowKey));

        // The queue entry, outside the partition, is written before the transaction; the decision row never is.
        Received.InOrder(() =>
        {
            _table.UpsertEntityAsync(Arg.Is<TableEntity>(e => e.PartitionKey == Keys.WebhookQueuePartition && e.RowKey == review.ReviewId), TableUpdateMode.Replace, Arg.Any<CancellationToken>());
            _table.SubmitTransactionAsync(Arg.Any<IEnumerable<TableTransactionAction>>(), Arg.Any<CancellationToken>());
        });
        await _table.DidNotReceiveWithAnyArgs().UpdateEntityAsync<TableEntity>(default!, default, default, default);
    }

    [Fact]
    public async Task AddReview_Comment_WritesNoFinalMarker()
    {
        Row(Keys.DecisionPrefix, DecisionEntity.ToEntity(Decision(callbackUrl: null)));
        Submits(Committed);

        var result = await _log.AddReviewAsync("a/b", DecisionId, Review("comment"), CancellationToken.None);

        Assert.Equal((ReviewStatus.Pending, WebhookOutcome.None), (result.Status, result.Webhook));
        Assert.StartsWith(Keys.ReviewPrefix, Assert.Single(Assert.Single(_transactions)).Entity.RowKey, StringComparison.Ordinal);
        await _table.DidNotReceiveWithAnyArgs().UpsertEntityAsync<TableEntity>(default!, default, default);
    }

    [Fact]
    public async Task AddReview_CallbackWithoutSecret_QueuesNothing()
    {
        Row(Keys.DecisionPrefix, DecisionEntity.ToEntity(Decision()));
        Submits(Committed);

        var result = await _log.AddReviewAsync("a/b", DecisionId, Review(webhooks: false), CancellationToken.None);

        Assert.Equal(WebhookOutcome.Disabled, result.Webhook);
        Assert.DoesNotContain(Assert.Single(_transactions), a => a.Entity.RowKey.StartsWith(Keys.WebhookPrefix, StringComparison.Ordinal));
        await _table.DidNotReceiveWithAnyArgs().UpsertEntityAsync<TableEntity>(default!, default, default);
    }

    [Fact]
    public async Task AddReview_AnswerLostThenConflict_CountsAsAddedOnce()
    {
        var review = Review();
        var record = new ReviewResponse(review.ReviewId, DecisionId, "a/b", review.Action, review.Reason, review.Reviewer, review.ReviewerSource, review.At);
        Row(Keys.DecisionPrefix, DecisionEntity.ToEntity(Decision()));
        Submits(() => Failed(503), () => Failed(409));
        Row(Keys.ReviewPrefix, ReviewEntity.ToEntity(record));

        var result = await _log.AddReviewAsync("a/b", DecisionId, review, CancellationToken.None);

        // NOTE: the retry finds its own review row (same content hash) and submits nothing again.
        Assert.Equal(ReviewOutcome.Added, result.Outcome);
        Assert.Equal(record, result.Review);
        Assert.Single(_transactions);
    }

    [Fact]
    public async Task AddReview_OtherFinalLandsFirst_IsAlreadyFinalAndForgetsItsQueueEntry()
    {
        Row(Keys.DecisionPrefix, DecisionEntity.ToEntity(Decision()));
        Submits(() => Failed(409));
        var review = Review("reject");

        var result = await _log.AddReviewAsync("a/b", DecisionId, review, CancellationToken.None);

        Assert.Equal(ReviewOutcome.AlreadyFinal, result.Outcome);
        await _table.Received(1).DeleteEntityAsync(Keys.WebhookQueuePartition, review.ReviewId, ETag.All, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task AddReview_MarkerAlreadyThere_IsAlreadyFinalWithoutWriting()
    {
        Row(Keys.DecisionPrefix, DecisionEntity.ToEntity(Decision()));
        Row(Keys.FinalReviewPrefix, new TableEntity("p", "f") { ["Action"] = ReviewActions.Approve });

        var result = await _log.AddReviewAsync("a/b", DecisionId, Review("approve"), CancellationToken.None);

        Assert.Equal(ReviewOutcome.AlreadyFinal, result.Outcome);
        await _table.DidNotReceiveWithAnyArgs().SubmitTransactionAsync(default!, default);
    }

    [Theory]
    [InlineData("allow")]
    [InlineData("coach")]
    [InlineData("block")]
    public async Task AddReview_FinalOnDecisionNotHeld_IsNotHeldWithoutWriting(string verdict)
    {
        Row(Keys.DecisionPrefix, DecisionEntity.ToEntity(Decision(verdict)));

        var result = await _log.AddReviewAsync("a/b", DecisionId, Review("approve"), CancellationToken.None);

        Assert.Equal(ReviewOutcome.NotHeld, result.Outcome);
        await _table.DidNotReceiveWithAnyArgs().SubmitTransactionAsync(default!, default);
    }

    [Theory]
    [InlineData("")]
    [InlineData("d-1")]
    // A version 4 GUID: not one of our decision ids.
    [InlineData("3f2504e04f8941d39a0c0305e82c3301")]
    public async Task AddReview_ForeignDecisionId_IsNotFoundWithoutAskingStorage(string decisionId)
    {
        var result = await _log.AddReviewAsync("a/b", decisionId, Review(), CancellationToken.None);

        Assert.Equal(ReviewOutcome.DecisionNotFound, result.Outcome);
        Assert.Empty(_table.ReceivedCalls());
    }

    [Fact]
    public async Task AddReview_MissingDecision_IsNotFound()
    {
        Row(Keys.DecisionPrefix, null);

        Assert.Equal(ReviewOutcome.DecisionNotFound, (await _log.AddReviewAsync("a/b", DecisionId, Review(), CancellationToken.None)).Outcome);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(503)]
    public async Task AddReview_StorageKeepsFailing_ThrowsUnavailableAfterRetries(int status)
    {
        Row(Keys.DecisionPrefix, DecisionEntity.ToEntity(Decision()));
        _table.SubmitTransactionAsync(Arg.Any<IEnumerable<TableTransactionAction>>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new RequestFailedException(status, "down"));

        await Assert.ThrowsAsync<StorageUnavailableException>(() => _log.AddReviewAsync("a/b", DecisionId, Review(), CancellationToken.None));
        await _table.ReceivedWithAnyArgs(MaxRetries + 1).SubmitTransactionAsync(default!, default);
    }

    private sealed class NoValue : NullableResponse<TableEntity>
    {
        public override bool HasValue => false;

        public override TableEntity? Value => null;

        public override Response GetRawResponse() => Substitute.For<Response>();
    }
}
