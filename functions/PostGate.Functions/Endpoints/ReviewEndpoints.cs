using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PostGate.Functions.Auth;
using PostGate.Functions.Contracts;
using PostGate.Functions.Problems;
using PostGate.Functions.Storage;
using PostGate.Functions.Webhooks;

namespace PostGate.Functions.Endpoints;

/// <summary>
/// <c>POST /api/decisions/{accountId}/{decisionId}/reviews</c>: compliance approves, rejects or comments on a logged
/// decision. Reviews are appended records; the decision itself is never changed.
/// </summary>
public static class ReviewEndpoints
{
    public const string ReviewerFromIdentity = "identity";
    public const string ReviewerFromRequest = "request";
    public const string ReviewerUnknown = "none";

    public static RouteGroupBuilder MapReviewEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/decisions/{accountId}/{decisionId}/reviews", AddAsync)
            .WithName("AddReview")
            .RequireAuthorization(AccessPolicies.Compliance)
            .WithSummary("Approve or reject a decision held for review, or comment on any decision; appends a review, never edits the decision.")
            .Accepts<ReviewRequestBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static async Task<Results<Created<ReviewResponse>, ValidationProblem, ProblemHttpResult>> AddAsync(
        HttpContext context,
        IReviewLog reviews,
        WebhookSignal signal,
        IOptions<WebhookOptions> webhooks,
        TimeProvider time,
        ILoggerFactory loggers,
        string accountId,
        string decisionId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger(typeof(ReviewEndpoints));
        accountId = DecisionEndpoints.RawSegment(context, fromEnd: 2) ?? accountId;
        if (!RequestReading.IsJson(context.Request))
        {
            return TypedResults.Problem(
                detail: "Send the review as application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type.",
                type: ProblemTypes.UnsupportedMediaType);
        }

        var body = await RequestReading.ReadCappedAsync(context.Request, ReviewRequest.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Problems.Problems.Invalid(string.Empty, $"The body must be at most {ReviewRequest.MaxBodyBytes} bytes.");
        }

        var parsed = ReviewRequest.Parse(body);
        if (!parsed.IsValid)
        {
            return Problems.Problems.Invalid(parsed.Errors);
        }

        var (reviewer, source) = Reviewer(context.User, parsed.Reviewer);
        var now = time.GetUtcNow();
        var review = new NewReview(Keys.NewReviewId(now), parsed.Action!, parsed.Reason!, reviewer, source, now, webhooks.Value.Enabled);
        ReviewResult result;
        try
        {
            result = await reviews.AddReviewAsync(accountId, decisionId, review, cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            return Problems.Problems.StorageUnavailable(context, CheckEndpoints.RetryAfterSeconds);
        }

        if (result.Outcome != ReviewOutcome.Added)
        {
            Log.ReviewRefused(logger, review.Action, decisionId, result.Outcome.ToString());
        }

        switch (result.Outcome)
        {
            case ReviewOutcome.DecisionNotFound:
                return Problems.Problems.NotFound("No decision with this id is logged for this account.");
            case ReviewOutcome.NotHeld:
                return Problems.Problems.Conflict(
                    ProblemTypes.DecisionNotHeld,
                    "Only a decision held for review (verdict 'review') can be approved or rejected; comment on it instead.");
            case ReviewOutcome.AlreadyFinal:
                return Problems.Problems.Conflict(
                    ProblemTypes.AlreadyReviewed,
                    "This decision already has its final review (approved or rejected); it cannot be settled again. Comment on it instead.");
        }

        var added = result.Review!;
        Log.ReviewAdded(logger, added.ReviewId, added.Action, decisionId, added.ReviewerSource, added.Reason.Length, result.Status ?? string.Empty, result.Webhook.ToString());
        if (result.Webhook == WebhookOutcome.Queued)
        {
            signal.Notify();
        }
        else if (result.Webhook == WebhookOutcome.Disabled)
        {
            Log.ReviewWebhookDisabled(logger, decisionId, added.ReviewId);
        }

        return TypedResults.Created($"/api/decisions/{Uri.EscapeDataString(accountId)}/{decisionId}", added);
    }

    /// <summary>
    /// Who reviewed: the authenticated caller's name when there is one, else the body's <c>reviewer</c>; and which of
    /// the two it was. The gate's open mode (no credentials configured) names nobody, so it counts as unauthenticated.
    /// </summary>
    internal static (string? Reviewer, string Source) Reviewer(ClaimsPrincipal user, string? requested)
    {
        var identity = user.Identity;
        if (identity is { IsAuthenticated: true }
            && identity.AuthenticationType != GateAuthenticationHandler.OpenAuthenticationType
            && identity.Name is { Length: > 0 } name)
        {
            return (name, ReviewerFromIdentity);
        }

        return requested is null ? (null, ReviewerUnknown) : (requested, ReviewerFromRequest);
    }
}
