using PostGate.Functions.Contracts;

namespace PostGate.Functions.Storage;

/// <summary>
/// The review status of a decision: <c>not-required</c> (verdict allow, coach or block), <c>pending</c> (held for
/// review, no final review yet), <c>approved</c>, <c>rejected</c>, or <c>expired</c> (still pending when the draft's
/// scheduled time passed).
/// </summary>
public static class ReviewStatus
{
    public const string NotRequired = "not-required";
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Expired = "expired";

    /// <summary>The verdict that holds a post for a compliance decision.</summary>
    public const string HeldVerdict = "review";

    public static IReadOnlyList<string> All { get; } = [NotRequired, Pending, Approved, Rejected, Expired];

    /// <summary>The decision's review state from its reviews (oldest first) at <paramref name="now"/>.</summary>
    public static ReviewStatusResponse Derive(DecisionResponse decision, IReadOnlyList<ReviewResponse> history, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(history);
        var final = history.FirstOrDefault(r => ReviewActions.IsFinal(r.Action));
        var status = Of(decision, final?.Action, now);
        return final is null || decision.Verdict != HeldVerdict
            ? new ReviewStatusResponse(status, null, null, null, history)
            : new ReviewStatusResponse(status, final.Reviewer, final.Reason, final.At, history);
    }

    /// <summary>The status given the action of the decision's final review (null: none yet).</summary>
    public static string Of(DecisionResponse decision, string? finalAction, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Verdict != HeldVerdict)
        {
            return NotRequired;
        }

        return finalAction switch
        {
            ReviewActions.Approve => Approved,
            ReviewActions.Reject => Rejected,

            // NOTE: a late approval still counts (status approved, with its time); until one lands, a hold whose
            // publication time has passed is expired, so a scheduler never publishes it on a stale "pending".
            _ => now >= decision.Draft.ScheduledAt ? Expired : Pending,
        };
    }
}
