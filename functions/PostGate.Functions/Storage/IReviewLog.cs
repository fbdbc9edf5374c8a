using PostGate.Functions.Contracts;

namespace PostGate.Functions.Storage;

/// <summary>Reviews of logged decisions: appended records beside the decision, which itself is never changed.</summary>
public interface IReviewLog
{
    /// <summary>
    /// Appends a review to a logged decision, with its final-review marker (approve, reject) and its webhook outbox
    /// row (when the decision has a callback URL and webhooks are on) in the same transaction, or nothing.
    /// </summary>
    Task<ReviewResult> AddReviewAsync(string accountId, string decisionId, NewReview review, CancellationToken cancellationToken);
}

/// <summary>
/// A review as the endpoint made it: id and time fixed before the first attempt, so a retried write repeats the
/// same row. <paramref name="WebhooksEnabled"/> is false when no signing secret is configured.
/// </summary>
public sealed record NewReview(
    string ReviewId,
    string Action,
    string Reason,
    string? Reviewer,
    string ReviewerSource,
    DateTimeOffset At,
    bool WebhooksEnabled);

public enum ReviewOutcome
{
    /// <summary>The review was appended.</summary>
    Added,

    /// <summary>No such decision in the account's log.</summary>
    DecisionNotFound,

    /// <summary>Approve or reject on a decision that was not held for review.</summary>
    NotHeld,

    /// <summary>Approve or reject on a decision that already has its final review.</summary>
    AlreadyFinal,
}

public enum WebhookOutcome
{
    /// <summary>The decision has no callback URL.</summary>
    None,

    /// <summary>An outbox row was written with the review; the dispatcher delivers it.</summary>
    Queued,

    /// <summary>The decision has a callback URL, but no signing secret is configured: nothing is sent.</summary>
    Disabled,
}

/// <summary>What adding a review did: the review as stored and the decision's review status after it.</summary>
public sealed record ReviewResult(ReviewOutcome Outcome, ReviewResponse? Review = null, string? Status = null, WebhookOutcome Webhook = WebhookOutcome.None);
