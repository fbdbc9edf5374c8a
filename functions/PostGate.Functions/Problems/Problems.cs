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

    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(
            detail: "Send the draft as application/json.",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type.",
            type: ProblemTypes.UnsupportedMediaType);

    /// <summary>
    /// Applied to every problem the framework writes itself: an unhandled exception becomes the stable
    /// <see cref="ProblemTypes.Unexpected"/> type (with the default <c>traceId</c>), never the exception's text.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ProblemDetails.Status == StatusCodes.Status500InternalServerError)
        {
            context.ProblemDetails.Type = ProblemTypes.Unexpected;
            context.ProblemDetails.Title = "Unexpected error.";
            context.ProblemDetails.Detail = "The request could not be completed; report the traceId if it keeps happening.";
        }
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
