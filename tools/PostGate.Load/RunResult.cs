using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PostGate.Load;

/// <summary>One mode's figures: throughput over the measured window and latency percentiles in milliseconds.</summary>
internal sealed record RunResult
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Mode { get; init; }

    public string? Label { get; init; }

    public required int Connections { get; init; }

    /// <summary>From the start of the measured window to the last counted operation's end.</summary>
    public required double Seconds { get; init; }

    public required int WarmupSeconds { get; init; }

    public required long WarmupRequests { get; init; }

    public required long Requests { get; init; }

    public required long Errors { get; init; }

    public required IReadOnlyDictionary<string, long> ErrorsByStatus { get; init; }

    /// <summary>Successes the mode counts apart: for check, answers replayed from an earlier decision.</summary>
    public required long Flagged { get; init; }

    public required long Cancelled { get; init; }

    public required double PerSecond { get; init; }

    public required double MeanMs { get; init; }

    public required double P50Ms { get; init; }

    public required double P90Ms { get; init; }

    public required double P99Ms { get; init; }

    public required double MaxMs { get; init; }

    public required int Samples { get; init; }

    /// <summary>Operations completed in each second of the measured window: shows whether the rate drifts.</summary>
    public required IReadOnlyList<long> CompletedBySecond { get; init; }

    /// <summary>The load tool's own CPU over the measured window, in percent of one core.</summary>
    public required double ClientCpuPercent { get; init; }

    public required string StartedAt { get; init; }

    public const string MarkdownHeader = """
        | mode | connections | seconds | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |
        |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
        """;

    public string ToMarkdownRow()
    {
        var errors = Errors == 0
            ? "0"
            : Errors.ToString("N0", CultureInfo.InvariantCulture) + " (" + string.Join(", ", ErrorsByStatus.Select(e => e.Key + ": " + e.Value.ToString(CultureInfo.InvariantCulture))) + ")";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {Mode} | {Connections} | {Seconds:0.0} | {Requests:N0} | {PerSecond:N0} | {P50Ms:0.00} | {P90Ms:0.00} | {P99Ms:0.00} | {MaxMs:0.0} | {errors} |");
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
