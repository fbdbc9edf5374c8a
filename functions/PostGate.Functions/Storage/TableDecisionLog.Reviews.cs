using Azure;
using Azure.Data.Tables;
using PostGate.Functions.Contracts;

namespace PostGate.Functions.Storage;

/// <summary>Reviews: appended rows in the decision's partition, read back with the decision as its derived review state.</summary>
public sealed partial class TableDecisionLog : IReviewLog
{
    public async Task<ReviewResult> AddReviewAsync(string accountId, string decisionId, NewReview review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(review);
        if (Keys.DecisionTime(decisionId) is not { } decidedAt)
        {
            return new ReviewResult(ReviewOutcome.DecisionNotFound);
        }

        var partition = Keys.Partition(accountId);
        var record = new ReviewResponse(review.ReviewId, decisionId, accountId, review.Action, review.Reason, review.Reviewer, review.ReviewerSource, review.At);

        // NOTE: keys and content are fixed before the first attempt, so a retry writes the same rows.
        var reviewEntity = ReviewEntity.ToEntity(record);
        var final = ReviewActions.IsFinal(review.Action);
        var attempts = 0;
        return await RunAsync("review", async ct =>
        {
            attempts++;
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(partition, Keys.DecisionRow(decisionId, decidedAt), cancellationToken: ct);
            if (!row.HasValue)
            {
                return new ReviewResult(ReviewOutcome.DecisionNotFound);
            }

            var decision = DecisionEntity.FromEntity(row.Value!);
            var marker = await _table.GetEntityIfExistsAsync<TableEntity>(partition, Keys.FinalReviewRow(decisionId), cancellationToken: ct);
            var finalAction = marker.HasValue ? marker.Value!.GetString("Action") : null;
            var status = ReviewStatus.Of(decision, final ? review.Action : finalAction, review.At);
            var webhook = decision.CallbackUrl is null ? WebhookOutcome.None : review.WebhooksEnabled ? WebhookOutcome.Queued : WebhookOutcome.Disabled;
            var added = new ReviewResult(ReviewOutcome.Added, record, status, webhook);
            if (attempts > 1 && await ReviewLoggedAsync(reviewEntity, ct))
            {
                return added;
            }

            if (final && decision.Verdict != ReviewStatus.HeldVerdict)
            {
                return new ReviewResult(ReviewOutcome.NotHeld);
            }

            if (final && finalAction is not null)
            {
                return new ReviewResult(ReviewOutcome.AlreadyFinal);
            }

            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, reviewEntity) };
            if (final)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, ReviewEntity.ToFinalEntity(record)));
            }

            if (webhook == WebhookOutcome.Queued)
            {
                actions.Add(new TableTransactionAction(
                    TableTransactionActionType.Add,
                    ReviewEntity.ToOutboxEntity(record, decision.CallbackUrl!, ReviewEntity.WebhookBody(decision, record, status))));

                // NOTE: the queue entry lives outside the account's partition, so it cannot join the transaction. It is
                // written first: if the transaction then fails, the dispatcher finds no outbox row behind it and drops
                // it; written after, a crash in between would leave an outbox row nobody looks for.
                await _table.UpsertEntityAsync(ReviewEntity.ToQueueEntity(record), TableUpdateMode.Replace, ct);
            }

            try
            {
                await _table.SubmitTransactionAsync(actions, ct);
                return added;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409)
            {
                if (await ReviewLoggedAsync(reviewEntity, ct))
                {
                    return added;
                }

                // NOTE: the only other row that can exist already is the final-review marker: another reviewer's
                // approve or reject landed between the read above and this write.
                if (webhook == WebhookOutcome.Queued)
                {
                    await ForgetQueueEntryAsync(record.ReviewId, ct);
                }

                return new ReviewResult(ReviewOutcome.AlreadyFinal);
            }
        }, cancellationToken);
    }

    private async Task<bool> ReviewLoggedAsync(TableEntity reviewEntity, CancellationToken cancellationToken)
    {
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(reviewEntity.PartitionKey, reviewEntity.RowKey, cancellationToken: cancellationToken);
        return existing.HasValue && existing.Value!.GetString("ContentHash") == reviewEntity.GetString("ContentHash");
    }

    private async Task ForgetQueueEntryAsync(string reviewId, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteQueueEntryAsync(reviewId, cancellationToken);
        }
        catch (RequestFailedException)
        {
            // Best effort: the dispatcher drops queue entries whose outbox row never appeared.
        }
    }

    /// <summary>The decision with its review state.</summary>
    private async Task<DecisionResponse> WithReviewsAsync(string partition, DecisionResponse decision, CancellationToken cancellationToken) =>
        (await WithReviewsAsync(partition, [decision], cancellationToken))[0];

    /// <summary>
    /// The decisions of one partition with their review state, from one range read: review rows sort by decision
    /// id, and decision ids by time, so the page's reviews lie between its oldest and newest decision's.
    /// </summary>
    private async Task<IReadOnlyList<DecisionResponse>> WithReviewsAsync(string partition, IReadOnlyList<DecisionResponse> decisions, CancellationToken cancellationToken)
    {
        if (decisions.Count == 0)
        {
            return decisions;
        }

        var ids = decisions.Select(d => d.DecisionId).Order(StringComparer.Ordinal).ToArray();
        var reviews = ids.ToDictionary(id => id, _ => new List<ReviewResponse>(), StringComparer.Ordinal);
        var low = Keys.ReviewRowPrefix(ids[0]);
        var high = Keys.ReviewRowPrefix(ids[^1]) + "~";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {low} and RowKey lt {high}");

        // NOTE: on a filtered page the range may also hold reviews of decisions the filter left out; they are skipped.
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (entity.GetString("Kind") == ReviewEntity.ReviewKind && reviews.TryGetValue(entity.GetString("DecisionId") ?? string.Empty, out var list))
            {
                list.Add(ReviewEntity.FromEntity(entity));
            }
        }

        var now = _time.GetUtcNow();
        return [.. decisions.Select(d => d with { Review = ReviewStatus.Derive(d, reviews[d.DecisionId], now) })];
    }
}
