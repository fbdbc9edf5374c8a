using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PostGate.Functions.Storage;

namespace PostGate.Functions.Contracts;

/// <summary>
/// Serialization code generated at build time for the API's answers and the JSON stored in decision rows, with the
/// web defaults the app's JSON options use, so a check's response is written without reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DecisionResponse))]
[JsonSerializable(typeof(DecisionPageResponse))]
[JsonSerializable(typeof(PolicyResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(DecisionStatsResponse))]
[JsonSerializable(typeof(TimelineResponse))]
[JsonSerializable(typeof(WhoAmIResponse))]
[JsonSerializable(typeof(ReviewResponse))]
[JsonSerializable(typeof(ChainReport))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(List<FindingResponse>))]
[JsonSerializable(typeof(IReadOnlyList<FindingResponse>))]
[JsonSerializable(typeof(AnalysisResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>Web defaults, this context first, reflection for any type it does not name.</summary>
    public static JsonSerializerOptions CreateOptions() =>
        new(JsonSerializerDefaults.Web) { TypeInfoResolverChain = { Default, new DefaultJsonTypeInfoResolver() } };
}
