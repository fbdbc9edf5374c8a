using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PostGate.Functions.Contracts;
using PostGate.Rules.Engine;

namespace PostGate.Functions.OpenApi;

/// <summary>
/// The query parameters of <c>GET /api/decisions</c>. The endpoint reads them with <see cref="DecisionQuery"/> (so every
/// bad one is named), which leaves nothing for the generator to infer; they are described here, and the CSV answer too.
/// </summary>
internal sealed class DecisionQueryParameters : IOpenApiOperationTransformer
{
    public const string OperationName = "ListDecisions";

    private static readonly (string Name, string Description, Func<OpenApiSchema> Schema)[] Parameters =
    [
        ("accountId", "The account whose decisions to list. Without it the list spans every account (compliance only), over at most "
            + string.Create(CultureInfo.InvariantCulture, $"{DecisionQuery.MaxDaysAcrossAccounts} days (default: the last 7)."), Text),
        ("from", "Earliest decision time, ISO 8601 date or date-time (inclusive).", () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
        ("to", "Latest decision time, ISO 8601 date or date-time. Default: now.", () => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
        ("verdict", "Only decisions with this verdict.", () => Vocabulary(Enum.GetValues<Verdict>().Select(v => v.ToWire()))),
        ("rule", "Only decisions with a finding of this rule, by id (PG101) or name (link-dropping/too-many-links).", Text),
        ("channel", "Only drafts for this channel.", () => Vocabulary(Channels.WireNames)),
        ("author", "Only drafts by this author.", Text),
        ("campaign", "Only drafts of this campaign.", Text),
        ("reviewStatus", "Only decisions in this review state.", () => Vocabulary(DecisionQuery.ReviewStatuses)),
        ("pageSize", string.Create(CultureInfo.InvariantCulture, $"Decisions per page, 1-{DecisionQuery.MaxPageSize} (default {DecisionQuery.DefaultPageSize})."),
            () => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = DecisionQuery.MaxPageSize.ToString(CultureInfo.InvariantCulture) }),
        ("continuationToken", "The continuationToken of the previous page, unchanged.", Text),
        ("format", "csv streams every matching decision as CSV (as Accept: text/csv does); json (default) answers a page.", () => Vocabulary(["json", "csv"])),
    ];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.OperationId != OperationName)
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        foreach (var (name, description, schema) in Parameters)
        {
            if (!operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Query))
            {
                operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema() });
            }
        }

        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
        {
            response.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
            response.Content.TryAdd("text/csv", new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };

    private static OpenApiSchema Vocabulary(IEnumerable<string> values) =>
        new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] };
}
