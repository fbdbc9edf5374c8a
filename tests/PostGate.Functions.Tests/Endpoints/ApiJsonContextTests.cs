using System.Text.Json;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Endpoints;

/// <summary>
/// The generated serializer writes the check's answer and the JSON stored in decision rows (part of the hashed
/// content), so it must write exactly what the reflection serializer with the web defaults writes.
/// </summary>
public sealed class ApiJsonContextTests
{
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web);

    private static readonly DateTimeOffset At = new(2026, 11, 30, 8, 0, 0, 321, TimeSpan.FromHours(1));

    private static DecisionResponse Decision(bool withReview) => new(
        "01a227d622637aa3bf288bee438d2067",
        "a/b#c \u00e9",
        null,
        "review",
        [
            new FindingResponse(
                "PG201", "hard-sell/phrases", "review", "\"BUY NOW\" <script>alert(1)</script> & more.", "Say what it does \u2014 \U0001F600",
                [new SpanResponse(0, 7)], ["BUY NOW", "\\ \t \u0001"]),
            new FindingResponse("PG305", "cadence/promotional-share", "coach", "m", "c", [], [], "warn"),
        ],
        ["Drop the countdown", "Keep one link"],
        "sha256:abc",
        At,
        Logged: true,
        new DraftResponse("a/b#c \u00e9", "x", "BUY NOW!!! \U0001D401\U0001D414\U0001D418 +1 bit.ly/x", At.AddDays(1), null, "sam", null, "m-1", ["https://acme.example/a?utm_source=x&b=\"1\""], 0),
        new AnalysisResponse(
            [new LinkResponse("bit.ly/x", new SpanResponse(3, 8), "bit.ly", Shortener: true, Allowed: false), new LinkResponse("https://acme.example/a", null, null, false, true)],
            CountedLinks: 2,
            Mentions: 1,
            Hashtags: 0,
            Length: null,
            new HardSellResponse(7, new Dictionary<string, int>(StringComparer.Ordinal) { ["urgency"] = 3, ["call-to-action"] = 4 })),
        ShadowFindings: [],
        CallbackUrl: withReview ? "https://scheduler.example/hook" : null,
        Review: withReview
            ? new ReviewStatusResponse("approved", "kim", "ok", At, [new ReviewResponse("r1", "d1", "a", "approve", "ok", "kim", "identity", At)])
            : null);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_decision_is_written_as_the_reflection_serializer_writes_it(bool withReview)
    {
        var decision = Decision(withReview);

        var generated = JsonSerializer.Serialize(decision, ApiJsonContext.Default.DecisionResponse);

        Assert.Equal(JsonSerializer.Serialize(decision, Reflection), generated);
        Assert.Equal(withReview, generated.Contains("\"review\":{", StringComparison.Ordinal));
    }

    [Fact]
    public void The_stored_parts_of_a_decision_are_written_as_the_reflection_serializer_writes_them()
    {
        var decision = Decision(withReview: false);
        var options = ApiJsonContext.CreateOptions();

        Assert.Equal(JsonSerializer.Serialize(decision.Findings, Reflection), JsonSerializer.Serialize(decision.Findings, options));
        Assert.Equal(JsonSerializer.Serialize(decision.Summary, Reflection), JsonSerializer.Serialize(decision.Summary, options));
        Assert.Equal(JsonSerializer.Serialize(decision.Analysis, Reflection), JsonSerializer.Serialize(decision.Analysis, options));
        Assert.Equal(JsonSerializer.Serialize(decision.Draft.Links, Reflection), JsonSerializer.Serialize(decision.Draft.Links, options));
    }

    [Fact]
    public void A_stored_decision_reads_back_through_the_generated_serializer()
    {
        var decision = Decision(withReview: false) with { CallbackUrl = null };

        var back = DecisionEntity.FromEntity(DecisionEntity.ToEntity(decision));

        Assert.Equal(JsonSerializer.Serialize(decision, Reflection), JsonSerializer.Serialize(back, Reflection));
    }
}
