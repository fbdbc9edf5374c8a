using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using PostGate.Functions.Auth;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;

namespace PostGate.Functions.Endpoints;

/// <summary>Reading the decision log: <c>GET /api/decisions</c> and <c>GET /api/decisions/{accountId}/{decisionId}</c>.</summary>
public static class DecisionEndpoints
{
    public static RouteGroupBuilder MapDecisionEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/decisions", ListAsync)
            .WithName("ListDecisions")
            .RequireAuthorization(AccessPolicies.ReadDecisions)
            .WithSummary("Decisions matching the filters, newest first, paged; one account, or every account (compliance only).")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/decisions/{accountId}/{decisionId}", GetAsync)
            .WithName("GetDecision")
            .RequireAuthorization(AccessPolicies.ReadDecisions)
            .WithSummary("One logged decision with its draft, findings, summary and policy version.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/decisions/{accountId}/verify", VerifyAsync)
            .WithName("VerifyChain")
            .RequireAuthorization(AccessPolicies.Compliance)
            .WithSummary("Walks the account's hash chain and reports the first broken link, if any.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    /// <summary>
    /// Decisions matching the filters, newest first, paged with an opaque continuation token; with
    /// <c>Accept: text/csv</c> or <c>format=csv</c> every matching decision streams as CSV.
    /// </summary>
    public static async Task<Results<Ok<DecisionPageResponse>, ValidationProblem, ProblemHttpResult, EmptyHttpResult>> ListAsync(
        HttpContext context,
        IDecisionLog log,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = DecisionQuery.Parse(context.Request.Query, context.Request.Headers.Accept.ToString(), time.GetUtcNow(), errors);
        if (query is null)
        {
            return Problems.Problems.Invalid(errors);
        }

        if (!AccountScope.MayRead(context.User, query.AccountId))
        {
            return Problems.Problems.Forbidden("You may not read this account's decisions; only compliance lists across accounts.");
        }

        try
        {
            if (!query.Csv)
            {
                return TypedResults.Ok(await log.ListAsync(query, cancellationToken));
            }

            // NOTE: the first page is read before anything is written, so a bad token or an outage is still a problem response.
            var page = await log.ListAsync(query, cancellationToken);
            await CsvExport.WriteAsync(context.Response, page, next => log.ListAsync(query with { ContinuationToken = next }, cancellationToken), cancellationToken);
            return TypedResults.Empty;
        }
        catch (InvalidContinuationTokenException)
        {
            return Problems.Problems.Invalid("continuationToken", "was not issued by this API; pass the token from the previous page unchanged.");
        }
        catch (StorageUnavailableException) when (!context.Response.HasStarted)
        {
            return Problems.Problems.StorageUnavailable(context, CheckEndpoints.RetryAfterSeconds);
        }
    }

    public static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> GetAsync(
        HttpContext context,
        IDecisionLog log,
        string accountId,
        string decisionId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(log);
        accountId = RawSegment(context, fromEnd: 1) ?? accountId;
        if (!AccountScope.MayRead(context.User, accountId))
        {
            return Problems.Problems.Forbidden("You may not read this account's decisions.");
        }

        try
        {
            var decision = await log.GetAsync(accountId, decisionId, cancellationToken);
            return decision is null
                ? Problems.Problems.NotFound("No decision with this id is logged for this account.")
                : TypedResults.Ok(decision);
        }
        catch (StorageUnavailableException)
        {
            return Problems.Problems.StorageUnavailable(context, CheckEndpoints.RetryAfterSeconds);
        }
    }

    /// <summary>Walks the account's hash chain and reports the first broken link, if any.</summary>
    public static async Task<Results<Ok<ChainReport>, ProblemHttpResult>> VerifyAsync(
        HttpContext context,
        IDecisionLog log,
        string accountId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(log);
        accountId = RawSegment(context, fromEnd: 1) ?? accountId;
        try
        {
            return TypedResults.Ok(await log.VerifyAsync(accountId, cancellationToken));
        }
        catch (StorageUnavailableException)
        {
            return Problems.Problems.StorageUnavailable(context, CheckEndpoints.RetryAfterSeconds);
        }
    }

    /// <summary>
    /// A path segment decoded from the raw request target, counted from the end (0 = last). Routing leaves
    /// "%2F" encoded, so an account id holding '/' is only recoverable from the raw target.
    /// </summary>
    internal static string? RawSegment(HttpContext context, int fromEnd)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        // NOTE: routing accepts one trailing slash, so it must not count as an empty last segment here either.
        var path = raw.Split('?', 2)[0];
        if (path.Length > 1 && path.EndsWith('/'))
        {
            path = path[..^1];
        }

        var segments = path.Split('/');
        var index = segments.Length - 1 - fromEnd;
        return index < 0 ? null : Uri.UnescapeDataString(segments[index]);
    }
}
