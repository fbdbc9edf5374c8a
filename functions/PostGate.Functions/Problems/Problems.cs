using Microsoft.AspNetCore.Http.HttpResults;

namespace PostGate.Functions.Problems;

/// <summary>Builders for the API's problem responses, so every endpoint answers alike.</summary>
public static class Problems
{
    /// <summary>400 with every bad field keyed by its JSON pointer (<c>/text</c>) or query parameter name.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string detail = "The request has invalid fields; see errors.") =>
        TypedResults.ValidationProblem(errors, detail: detail, title: "The request is invalid.", type: ProblemTypes.InvalidRequest);

    public static ValidationProblem Invalid(string field, string reason) =>
        Invalid(new Dictionary<string, string[]> { [field] = [reason] });

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.", type: ProblemTypes.NotFound);

    /// <summary>401: no credentials, or credentials that were not accepted. The caller sets <c>WWW-Authenticate</c>.</summary>
    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized.", type: ProblemTypes.Unauthorized);

    /// <summary>403: the caller is known, but their role or accounts do not cover this request.</summary>
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.", type: ProblemTypes.Forbidden);

    /// <summary>409: the request conflicts with the resource's state (a review on a decision that cannot take it).</summary>
    public static ProblemHttpResult Conflict(string type, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict.", type: type);

    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(
            detail: "Send the draft as application/json.",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type.",
            type: ProblemTypes.UnsupportedMediaType);

    /// <summary>
    /// Applied to every problem the framework writes itself: an unhandled exception becomes the stable
    /// <see cref="ProblemTypes.Unexpected"/> type (with the default <c>traceId</c>), never the exception's text, and
    /// the bare status pages (an unknown route, a method the route does not have) get the API's stable types.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            problem.Type = ProblemTypes.Unexpected;
            problem.Title = "Unexpected error.";
            problem.Detail = "The request could not be completed; report the traceId if it keeps happening.";
            return;
        }

        // NOTE: the framework's default type is an RFC link; only those are replaced, never a type an endpoint chose.
        if (problem.Type is not null && !problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
        {
            return;
        }

        (problem.Type, problem.Title, problem.Detail) = problem.Status switch
        {
            StatusCodes.Status401Unauthorized => (ProblemTypes.Unauthorized, "Unauthorized.", problem.Detail),
            StatusCodes.Status403Forbidden => (ProblemTypes.Forbidden, "Forbidden.", problem.Detail),
            StatusCodes.Status404NotFound => (ProblemTypes.NotFound, "Not found.", problem.Detail ?? "No route matches this path; see /api/openapi.json."),
            StatusCodes.Status405MethodNotAllowed => (
                ProblemTypes.MethodNotAllowed,
                "Method not allowed.",
                problem.Detail ?? "This route does not take this method (see the Allow header). Decisions are never edited or deleted through the API."),
            StatusCodes.Status415UnsupportedMediaType => (ProblemTypes.UnsupportedMediaType, "Unsupported media type.", problem.Detail),
            _ => (problem.Type, problem.Title, problem.Detail),
        };
    }

    /// <summary>503 with Retry-After: the decision log cannot be reached, so no verdict is given.</summary>
    public static ProblemHttpResult StorageUnavailable(HttpContext context, int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            detail: "The decision log cannot be reached, so no decision was made. Retry later with the same Idempotency-Key or draft id.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Storage unavailable.",
            type: ProblemTypes.StorageUnavailable);
    }
}
