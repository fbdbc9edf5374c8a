using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PostGate.Functions.Contracts;
using PostGate.Functions.Endpoints;
using Xunit;

namespace PostGate.Functions.Tests.Endpoints;

public sealed class JsonOkTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static DecisionResponse Decision(string text) => new(
        "01a227d622637aa3bf288bee438d2067",
        "acme",
        "d-1",
        "coach",
        [new FindingResponse("PG203", "hard-sell/exclamations", "coach", "\"!!!\" piles up exclamation marks.", "One '!' at most.", [new SpanResponse(3, 3)], ["!!!"])],
        ["Keep one '!' at most"],
        "sha256:abc",
        At,
        Logged: false,
        new DraftResponse("acme", "x", text, At.AddDays(1), "d-1", "sam", null, null, [], 0),
        new AnalysisResponse([], CountedLinks: 0, Mentions: 0, Hashtags: 0, Length: null, new HardSellResponse(0, new Dictionary<string, int>(StringComparer.Ordinal))),
        ShadowFindings: []);

    private static async Task<(HttpResponse Response, byte[] Body)> ExecuteAsync(DecisionResponse decision, JavaScriptEncoder? encoder = null)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await new JsonOk<DecisionResponse>(decision, ApiJsonContext.Default.DecisionResponse, encoder).ExecuteAsync(context);

        return (context.Response, body.ToArray());
    }

    [Fact]
    public async Task The_answer_is_the_generated_serializer_s_output_with_its_length()
    {
        var decision = Decision("Hi!!! \u00e9 \U0001F600 <b>\"quoted\"</b>");

        var (response, body) = await ExecuteAsync(decision);

        Assert.Equal(StatusCodes.Status200OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.ContentType);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(decision, ApiJsonContext.Default.DecisionResponse), body);
        Assert.Equal(body.Length, response.ContentLength);
    }

    [Fact]
    public async Task Answers_in_turn_on_one_thread_each_hold_only_their_own_bytes()
    {
        // Long, short, one over the kept buffer's size, short again: a kept buffer never leaks an earlier answer.
        string[] texts = ["long " + new string('a', 3_000), "short", new string('b', AnswerWriter.KeptBufferBytes + 1), "s"];
        foreach (var text in texts)
        {
            var decision = Decision(text);

            var (response, body) = await ExecuteAsync(decision);

            Assert.Equal(JsonSerializer.Serialize(decision, ApiJsonContext.Default.DecisionResponse), Encoding.UTF8.GetString(body));
            Assert.Equal(body.Length, response.ContentLength);
        }
    }

    [Fact]
    public void A_writer_is_kept_for_the_thread_unless_its_buffer_grew_past_the_limit()
    {
        var options = ApiJsonContext.Default.Options;
        var first = AnswerWriter.Rent(options);
        Assert.NotSame(first, AnswerWriter.Rent(options));
        first.Json.WriteStringValue("x");
        first.Json.Flush();
        AnswerWriter.Return(first);

        var again = AnswerWriter.Rent(options);
        Assert.Same(first, again);
        Assert.Equal(0, again.Buffer.WrittenCount);
        Assert.Equal(0, again.Json.BytesPending + again.Json.BytesCommitted);

        again.Json.WriteStringValue(new string('x', AnswerWriter.KeptBufferBytes));
        again.Json.Flush();
        AnswerWriter.Return(again);
        Assert.NotSame(again, AnswerWriter.Rent(options));
    }

    [Fact]
    public void A_kept_writer_is_not_used_for_other_options()
    {
        var writer = AnswerWriter.Rent(ApiJsonContext.Default.Options);
        AnswerWriter.Return(writer);

        var other = AnswerWriter.Rent(new JsonSerializerOptions { WriteIndented = true });

        Assert.NotSame(writer, other);
        Assert.True(other.Json.Options.Indented);
    }

    [Fact]
    public async Task With_the_relaxed_encoder_the_answer_is_the_same_JSON_with_only_what_JSON_needs_escaped()
    {
        var decision = Decision("Say \u201cthanks\u201d, it's \u00e9t\u00e9 \u4f60\u597d <b>\"BUY\"</b> & \\ \t \u0001");
        var standard = JsonSerializer.Serialize(decision, ApiJsonContext.Default.DecisionResponse);

        var (response, body) = await ExecuteAsync(decision, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        var wire = Encoding.UTF8.GetString(body);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(standard), JsonNode.Parse(wire)));
        Assert.Contains("\"text\":\"Say \u201cthanks\u201d, it's \u00e9t\u00e9 \u4f60\u597d <b>\\\"BUY\\\"</b> & \\\\ \\t \\u0001\"", wire, StringComparison.Ordinal);
        Assert.Contains("\\u0022!!!\\u0022", standard, StringComparison.Ordinal);
        Assert.Contains("\"message\":\"\\\"!!!\\\" piles up", wire, StringComparison.Ordinal);
        Assert.Equal(body.Length, response.ContentLength);
        Assert.True(body.Length < Encoding.UTF8.GetByteCount(standard));
    }

    [Fact]
    public void A_kept_writer_is_not_used_with_another_encoder()
    {
        var options = ApiJsonContext.Default.Options;
        var plain = AnswerWriter.Rent(options);
        AnswerWriter.Return(plain);

        var relaxed = AnswerWriter.Rent(options, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

        Assert.NotSame(plain, relaxed);
        Assert.Same(JavaScriptEncoder.UnsafeRelaxedJsonEscaping, relaxed.Json.Options.Encoder);
        AnswerWriter.Return(relaxed);
        Assert.Same(relaxed, AnswerWriter.Rent(options, JavaScriptEncoder.UnsafeRelaxedJsonEscaping));
    }
}
