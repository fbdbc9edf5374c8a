using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using PostGate.Functions.Contracts;
using PostGate.Functions.Endpoints;
using PostGate.Rules.Engine;

namespace PostGate.Functions.OpenApi;

/// <summary>
/// Request and response examples for <c>POST /api/posts/check</c>. The 200 example is the active policy's real
/// answer to the request example, so it cannot drift from what the gate says.
/// </summary>
internal sealed class CheckExamples : IOpenApiOperationTransformer
{
    public const string OperationName = "CheckPost";

    /// <summary>The README's example: a hard sell with a shortened link.</summary>
    public const string HardSell =
        """{"accountId":"acme","channel":"x","text":"BUY NOW!!! 50% off, limited time only: bit.ly/deal","scheduledAt":"2026-12-01T09:00:00Z","draftId":"d-1","author":"sam"}""";

    /// <summary>A friendly reply to a customer: no links, no sales talk.</summary>
    public const string Reply =
        """{"accountId":"acme","channel":"x","text":"Thanks for asking! The soup is back on Monday.","scheduledAt":"2026-12-01T09:30:00Z","draftId":"d-2","author":"sam","inReplyTo":"m-42"}""";

    private static readonly DateTimeOffset DecidedAt = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private const string DecisionId = "01a22b77c8007a3c8f2e4d5c6b7a8091";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (operation.OperationId != OperationName)
        {
            return Task.CompletedTask;
        }

        var policy = context.ApplicationServices.GetRequiredService<PolicyHolder>();
        var json = context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var request) == true)
        {
            request.Examples ??= new Dictionary<string, IOpenApiExample>(StringComparer.Ordinal);
            request.Examples["hard-sell"] = new OpenApiExample { Summary = "A hard sell with a shortened link", Value = JsonNode.Parse(HardSell) };
            request.Examples["reply"] = new OpenApiExample { Summary = "A friendly reply to a customer", Value = JsonNode.Parse(Reply) };
        }

        if (Content(operation, "200", "application/json") is { } ok)
        {
            ok.Examples ??= new Dictionary<string, IOpenApiExample>(StringComparer.Ordinal);
            ok.Examples["hard-sell"] = new OpenApiExample
            {
                Summary = "The answer to the hard-sell request",
                Value = JsonSerializer.SerializeToNode(Decide(HardSell, policy), json),
            };
            ok.Examples["reply"] = new OpenApiExample
            {
                Summary = "The answer to the reply",
                Value = JsonSerializer.SerializeToNode(Decide(Reply, policy), json),
            };
        }

        if (Content(operation, "400", "application/problem+json") is { } invalid)
        {
            invalid.Examples ??= new Dictionary<string, IOpenApiExample>(StringComparer.Ordinal);
            invalid.Examples["unknown-channel"] = new OpenApiExample
            {
                Summary = "An unknown channel and a blank text",
                Value = new JsonObject
                {
                    ["type"] = Problems.ProblemTypes.InvalidRequest,
                    ["title"] = "The request is invalid.",
                    ["status"] = StatusCodes.Status400BadRequest,
                    ["detail"] = "The request has invalid fields; see errors.",
                    ["errors"] = new JsonObject
                    {
                        ["/channel"] = new JsonArray($"must be one of {string.Join(", ", Channels.WireNames)} (was 'myspace')."),
                        ["/text"] = new JsonArray("must not be empty."),
                    },
                },
            };
        }

        return Task.CompletedTask;
    }

    /// <summary>What the gate answers to <paramref name="body"/> on an empty timeline.</summary>
    internal static DecisionResponse Decide(string body, PolicyHolder policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var draft = CheckRequest.Parse(Encoding.UTF8.GetBytes(body), DecidedAt).Draft
            ?? throw new InvalidOperationException("The example request is not valid.");
        var evaluation = PolicyEngine.Evaluate(draft, [], policy.Policy);

        // NOTE: as the endpoint does, shadow findings stay in the log and out of the answer.
        return CheckEndpoints.ToResponse(DecisionId, draft, evaluation, DecidedAt, logged: true) with { ShadowFindings = [] };
    }

    private static OpenApiMediaType? Content(OpenApiOperation operation, string status, string mediaType) =>
        operation.Responses?.TryGetValue(status, out var response) == true
        && response.Content?.TryGetValue(mediaType, out var content) == true
            ? content
            : null;
}
