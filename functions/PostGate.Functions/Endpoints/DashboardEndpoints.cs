using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PostGate.Functions.Auth;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Endpoints;

/// <summary>
/// What the compliance console reads besides the decisions themselves: <c>GET /api/decisions/stats</c> (the
/// dashboard), <c>GET /api/decisions/{accountId}/timeline</c> (the cadence context of a post) and <c>GET /api/me</c>.
/// </summary>
public static class DashboardEndpoints
{
    public static RouteGroupBuilder MapDashboardEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/decisions/stats", StatsAsync)
            .WithName("DecisionStats")
            .RequireAuthorization(AccessPolicies.Compliance)
            .WithSummary("Verdicts per day, the rules that fired most, and per account the conversation and promotional shares per day, over a range of at most 92 days (default: the last 30).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/decisions/{accountId}/timeline", TimelineAsync)
            .WithName("AccountTimeline")
            .RequireAuthorization(AccessPolicies.ReadDecisions)
            .WithSummary("The account's posts scheduled in a range of at most 32 days, oldest first: what the cadence rules count.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        // NOTE: anonymous, so a page can ask whether its user is signed in without provoking a 401.
        api.MapGet("/me", WhoAmI)
            .WithName("WhoAmI")
            .AllowAnonymous()
            .WithSummary("Whether the credentials sent were accepted, and the caller as the gate sees them: name, roles, accounts and how they signed in.");
        return api;
    }

    public static async Task<Results<Ok<DecisionStatsResponse>, ValidationProblem, ProblemHttpResult>> StatsAsync(
        HttpContext context,
        IDecisionStats stats,
        TimeProvider time,
        string? accountId,
        string? from,
        string? to,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = DecisionStatsQuery.Parse(accountId, from, to, time.GetUtcNow(), DecisionStatsQuery.DefaultDays, DecisionStatsQuery.MaxDays, errors);
        if (query is null)
        {
            return Problems.Problems.Invalid(errors);
        }

        try
        {
            return TypedResults.Ok(await stats.StatsAsync(query, cancellationToken));
        }
        catch (StorageUnavailableException)
        {
            return Problems.Problems.StorageUnavailable(context, CheckEndpoints.RetryAfterSeconds);
        }
    }

    public static async Task<Results<Ok<TimelineResponse>, ValidationProblem, ProblemHttpResult>> TimelineAsync(
        HttpContext context,
        IDecisionLog log,
        TimeProvider time,
        string accountId,
        string? from,
        string? to,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(time);
        accountId = DecisionEndpoints.RawSegment(context, fromEnd: 1) ?? accountId;
        if (!AccountScope.MayRead(context.User, accountId))
        {
            return Problems.Problems.Forbidden("You may not read this account's timeline.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = DecisionStatsQuery.Parse(accountId, from, to, time.GetUtcNow(), defaultDays: 7, DecisionStatsQuery.MaxTimelineDays, errors);
        if (query is null)
        {
            return Problems.Problems.Invalid(errors);
        }

        try
        {
            var entries = await log.ReadTimelineAsync(accountId, query.From, query.To, cancellationToken);
            return TypedResults.Ok(new TimelineResponse(
                accountId,
                query.From,
                query.To,
                [.. entries.OrderBy(e => e.ScheduledAt).Select(e => new TimelineEntryResponse(
                    e.DecisionId,
                    e.DraftId,
                    e.ScheduledAt,
                    e.Channel.ToWire(),
                    e.Kind == PostKind.Reply ? "reply" : "broadcast",
                    e.LinkCount,
                    e.HardSellScore,
                    e.Promotional))]));
        }
        catch (StorageUnavailableException)
        {
            return Problems.Problems.StorageUnavailable(context, CheckEndpoints.RetryAfterSeconds);
        }
    }

    public static Ok<WhoAmIResponse> WhoAmI(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return TypedResults.Ok(new WhoAmIResponse(false, null, [], [], null));
        }

        return TypedResults.Ok(new WhoAmIResponse(
            true,
            user.Identity.Name,
            [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal)],
            [.. user.FindAll(AccountScope.ClaimType).Select(c => c.Value).Distinct(StringComparer.Ordinal)],
            user.Identity.AuthenticationType));
    }
}
