using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PostGate.Functions.Contracts;
using PostGate.Rules.Engine;

namespace PostGate.Functions.OpenApi;

/// <summary>Lists the allowed values of string fields that carry a fixed vocabulary (channels, verdicts).</summary>
internal sealed class WireValuesSchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly string[] Verdicts = [.. Enum.GetValues<Verdict>().Select(v => v.ToWire())];

    private static readonly Dictionary<(Type, string), IReadOnlyList<string>> Vocabularies = new()
    {
        [(typeof(CheckRequestBody), "channel")] = Channels.WireNames,
        [(typeof(DraftResponse), "channel")] = Channels.WireNames,
        [(typeof(DecisionResponse), "verdict")] = Verdicts,
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonPropertyInfo is { } property
            && Vocabularies.TryGetValue((property.DeclaringType, property.Name), out var values))
        {
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        }

        return Task.CompletedTask;
    }
}
