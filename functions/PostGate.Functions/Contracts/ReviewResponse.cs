namespace PostGate.Functions.Contracts;

/// <summary>
/// One review of a decision, as appended. <c>reviewerSource</c> says where <c>reviewer</c> came from:
/// <c>identity</c> (the authenticated caller's name), <c>request</c> (the body's <c>reviewer</c>) or <c>none</c>.
/// </summary>
public sealed record ReviewResponse(
    string ReviewId,
    string DecisionId,
    string AccountId,
    string Action,
    string Reason,
    string? Reviewer,
    string ReviewerSource,
    DateTimeOffset At);

/// <summary>
/// A decision's review state, derived on read from its verdict, its reviews and the clock. <c>reviewer</c>,
/// <c>reason</c> and <c>at</c> are those of the final (approve or reject) review; <c>history</c> holds every review,
/// comments included, oldest first.
/// </summary>
public sealed record ReviewStatusResponse(
    string Status,
    string? Reviewer,
    string? Reason,
    DateTimeOffset? At,
    IReadOnlyList<ReviewResponse> History);

/// <summary>The body PostGate posts to a decision's <c>callbackUrl</c> when a review lands.</summary>
public sealed record ReviewWebhookRequest(
    string DecisionId,
    string AccountId,
    string? DraftId,
    string Status,
    string Action,
    string Reason,
    string? Reviewer,
    DateTimeOffset At);
