using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;

namespace PostGate.Functions.Endpoints;

/// <summary>Reading the decision log: <c>GET /api/decisions</c> and <c>GET /api/decisions/{accountId}/{decisionId}</c>.</summary>
public static class DecisionEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapDecisionEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/decisions", ListAsync).WithName("ListDecisions");
        api.MapGet("/decisions/{accountId}/{decisionId}", GetAsync).WithName("GetDecision");
        api.MapGet("/decisions/{accountId}/verify", VerifyAsync).WithName("VerifyChain");
        return api;
    }

    public static async Task<Results<Ok<DecisionPageResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        HttpContext context,
        IDecisionLog log,
        string? accountId,
        string? pageSize,
        string? continuationToken,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(accountId))
        {
            errors["accountId"] = ["is required."];
        }
        else if (accountId.Length > CheckRequest.MaxIdLength)
        {
            errors["accountId"] = [$"must be at most {CheckRequest.MaxIdLength} characters."];
        }

        // NOTE: bound as a string and parsed here, so "abc" gets the same problem as 0, not the framework's bare 400.
        var size = DefaultPageSize;
        if (!string.IsNullOrEmpty(pageSize)
            && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            errors["pageSize"] = [$"must be a whole number from 1 to {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Problems.Invalid(errors);
        }

        try
        {
            return TypedResults.Ok(await log.ListAsync(accountId!, size, continuationToken, cancellationToken));
        }
        catch (InvalidContinuationTokenException)
        {
            return Problems.Problems.Invalid("continuationToken", "was not issued by this API; pass the token from the previous page unchanged.");
        }
        catch (StorageUnavailableException)
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
