using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PostGate.Functions.Auth;

namespace PostGate.Functions.OpenApi;

/// <summary>Security requirements and roles from each endpoint's authorization metadata, and what each problem status means.</summary>
internal sealed class GateOperationTransformer : IOpenApiOperationTransformer
{
    private static readonly Dictionary<string, string> ResponseDescriptions = new(StringComparer.Ordinal)
    {
        ["400"] = "The request is invalid: problem details with 'errors' keyed by JSON pointer (/text) or query parameter name.",
        ["401"] = "No credentials, or credentials that were not accepted. " + GateAuthenticationHandler.HowToAuthenticate,
        ["403"] = "The caller's role, or a marketer's accounts, do not cover this request.",
        ["404"] = "Nothing is logged under this id for this account.",
        ["415"] = "The body is not JSON (send Content-Type: application/json).",
        ["422"] = "The Idempotency-Key was already used with a different body.",
        ["503"] = "The decision log cannot be reached (a check then gives no verdict). Retry after Retry-After seconds.",
    };

    private static readonly Dictionary<string, string> ParameterDescriptions = new(StringComparer.Ordinal)
    {
        ["mode"] = "'preview' evaluates without logging or touching the timeline; leave it out to log the decision.",
        ["accountId"] = "The account. In a path, percent-encode it.",
        ["decisionId"] = "The decision id the check returned.",
        ["from"] = "Start of the range, ISO 8601 date or date-time (inclusive).",
        ["to"] = "End of the range, ISO 8601 date or date-time (inclusive). Default: now.",
        ["path"] = "A file of the console; empty for its page.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
        if (!metadata.OfType<IAllowAnonymous>().Any() && policies.Count > 0)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(GateDocumentTransformer.ApiKeyScheme, context.Document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(GateDocumentTransformer.AppServiceScheme, context.Document)] = [] });
            var roles = policies
                .Select(p => AccessPolicies.RolesOf.TryGetValue(p, out var r) ? r : [])
                .Aggregate((IEnumerable<string>)Roles.All, (admitted, r) => admitted.Intersect(r, StringComparer.Ordinal))
                .ToList();
            var note = $"Roles: {string.Join(", ", roles)}.";
            operation.Description = string.IsNullOrEmpty(operation.Description) ? note : operation.Description + " " + note;
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            if (ResponseDescriptions.TryGetValue(status, out var description))
            {
                concrete.Description = description;
            }

            if (status == "401")
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                concrete.Headers["WWW-Authenticate"] = new OpenApiHeader
                {
                    Description = $"'{GateAuthenticationHandler.AuthorizationScheme}'.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
            else if (status == "503")
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                concrete.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before retrying with the same Idempotency-Key or draft id.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                };
            }
        }

        // NOTE: responses added by conventions land after the endpoint's own; the document lists them by status.
        if (operation.Responses is { Count: > 1 } responses)
        {
            var sorted = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
            responses.Clear();
            foreach (var (status, response) in sorted)
            {
                responses[status] = response;
            }
        }

        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter concrete && concrete.Name is { } name
                && string.IsNullOrEmpty(concrete.Description) && ParameterDescriptions.TryGetValue(name, out var description))
            {
                concrete.Description = description;
            }
        }

        return Task.CompletedTask;
    }
}
