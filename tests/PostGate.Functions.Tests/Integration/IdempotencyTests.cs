using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using PostGate.Functions.Endpoints;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>A retried check finds its decision instead of logging a second one: by Idempotency-Key, else by draft id and body.</summary>
[Collection(UsesAzurite.Name)]
public sealed class IdempotencyTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(TestHttp.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly AzuriteFixture _azurite;
    private readonly GateApp _app;
    private readonly HttpClient _client;

    public IdempotencyTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        // NOTE: on Kestrel, as behind the Functions host: the in-memory TestServer drops an empty header and
        // merges repeated ones differently, and the header checks are about what arrives on the wire.
        _app = azurite.App(azurite.TableFor(typeof(IdempotencyTests)), kestrel: true);
        _client = _app.CreateClient();
    }

    public void Dispose() => _app.Dispose();

    private static string Body(string accountId, string text = "Our winter menu is out: the soup is back.", string? draftId = null) =>
        JsonSerializer.Serialize(new { accountId, channel = "linkedin", text, scheduledAt = "2026-12-01T09:00:00Z", draftId }, Json);

    [Fact]
    public async Task Check_SameKeySameBody_ReplaysTheDecisionOnce()
    {
        var body = Body("idem-same");

        var first = await _client.CheckWithKeyAsync(body, "order-1");
        var second = await _client.CheckWithKeyAsync(body, "order-1");

        var logged = await first.ReadDecisionAsync();
        var replayed = await second.ReadDecisionAsync();
        Assert.False(first.IsReplayed());
        Assert.True(second.IsReplayed());
        Assert.Equal(logged.DecisionId, replayed.DecisionId);
        Assert.Equal(logged.Verdict, replayed.Verdict);
        Assert.Equal(logged.DecidedAt, replayed.DecidedAt);
        Assert.Equal(logged.DecisionId, Assert.Single(await _client.ListAllAsync("idem-same")).DecisionId);
    }

    [Fact]
    public async Task Check_SameKeyOtherBody_Returns422AndLogsNothingMore()
    {
        var logged = await (await _client.CheckWithKeyAsync(Body("idem-reused"), "order-1")).ReadDecisionAsync();

        var response = await _client.CheckWithKeyAsync(Body("idem-reused", "Our spring menu is out."), "order-1");

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, Problems.ProblemTypes.IdempotencyKeyReused);
        Assert.False(response.IsReplayed());
        Assert.Equal(logged.DecisionId, Assert.Single(await _client.ListAllAsync("idem-reused")).DecisionId);
    }

    [Fact]
    public async Task Check_SameKeySameBodyInParallel_LogsOneDecisionAndReplaysItToTheRest()
    {
        var body = Body("idem-parallel");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _client.CheckWithKeyAsync(body, "order-1")));

        var decisions = new List<string>();
        foreach (var response in responses)
        {
            decisions.Add((await response.ReadDecisionAsync()).DecisionId);
        }

        Assert.Single(decisions.Distinct());
        Assert.Single(responses, r => !r.IsReplayed());
        Assert.Equal(decisions[0], Assert.Single(await _client.ListAllAsync("idem-parallel")).DecisionId);
        Assert.True((await _client.VerifyAsync("idem-parallel")).Intact);
    }

    [Fact]
    public async Task Check_SameKeyOtherBodiesInParallel_LogsOneAndRefusesTheRest()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(n => _client.CheckWithKeyAsync(Body("idem-parallel-reused", $"Winter menu, take {n}."), "order-1")));

        var logged = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r != logged))
        {
            await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, Problems.ProblemTypes.IdempotencyKeyReused);
        }

        Assert.Equal((await logged.ReadDecisionAsync()).DecisionId, Assert.Single(await _client.ListAllAsync("idem-parallel-reused")).DecisionId);
    }

    [Fact]
    public async Task Check_SameKeyOnAnotherAccount_IsANewDecision()
    {
        // NOTE: keys live in the account's partition; another tenant using the same key is not a replay.
        var first = await (await _client.CheckWithKeyAsync(Body("idem-tenant-a"), "order-1")).ReadDecisionAsync();
        var response = await _client.CheckWithKeyAsync(Body("idem-tenant-b"), "order-1");

        var second = await response.ReadDecisionAsync();
        Assert.False(response.IsReplayed());
        Assert.NotEqual(first.DecisionId, second.DecisionId);
    }

    [Fact]
    public async Task Check_SameDraftSameBodyWithoutKey_Replays()
    {
        var body = Body("idem-draft-replay", draftId: "draft-7");

        var first = await _client.CheckAsync(body);
        var second = await _client.CheckAsync(body);

        var logged = await first.ReadDecisionAsync();
        Assert.False(first.IsReplayed());
        Assert.True(second.IsReplayed());
        Assert.Equal(logged.DecisionId, (await second.ReadDecisionAsync()).DecisionId);
        Assert.Single(await _client.ListAllAsync("idem-draft-replay"));
    }

    [Fact]
    public async Task Check_NoKeyNoDraftId_IsANewDecisionEachTime()
    {
        var body = Body("idem-none");

        var first = await (await _client.CheckAsync(body)).ReadDecisionAsync();
        var response = await _client.CheckAsync(body);

        Assert.False(response.IsReplayed());
        Assert.NotEqual(first.DecisionId, (await response.ReadDecisionAsync()).DecisionId);
        Assert.Equal(2, (await _client.ListAllAsync("idem-none")).Count);
    }

    [Fact]
    public async Task Check_SameDraftNewText_LogsBothAndKeepsOneTimelineEntry()
    {
        const string Account = "idem-draft-edit";
        var first = await (await _client.CheckAsync(Body(Account, "Our winter menu is out.", "draft-8"))).ReadDecisionAsync();
        var edited = await _client.CheckAsync(Body(Account, "Our winter menu is out: the soup is back.", "draft-8"));
        var third = await (await _client.CheckAsync(Body(Account, "Our winter menu is out: soup and bread.", "draft-8"))).ReadDecisionAsync();

        var second = await edited.ReadDecisionAsync();
        Assert.False(edited.IsReplayed());
        Assert.Equal(3, new[] { first.DecisionId, second.DecisionId, third.DecisionId }.Distinct().Count());
        Assert.Equal(
            new[] { first.DecisionId, second.DecisionId, third.DecisionId }.Order(StringComparer.Ordinal),
            (await _client.ListAllAsync(Account)).Select(d => d.DecisionId).Order(StringComparer.Ordinal));

        // The cadence rules count the draft once: its timeline entry is the latest decision's.
        var timeline = await _azurite.Table(typeof(IdempotencyTests)).RowsAsync(Account, Keys.TimelinePrefix);
        var entry = Assert.Single(timeline);
        Assert.Equal("draft-8", entry.GetString("DraftId"));
        Assert.Equal(third.DecisionId, entry.GetString("DecisionId"));
        Assert.True((await _client.VerifyAsync(Account)).Intact);
    }

    [Fact]
    public async Task Check_KeyOfMaxLength_IsAccepted()
    {
        var key = new string('k', CheckEndpoints.MaxIdempotencyKeyLength);
        var body = Body("idem-long-key");

        var logged = await (await _client.CheckWithKeyAsync(body, key)).ReadDecisionAsync();
        var replay = await _client.CheckWithKeyAsync(body, key);

        Assert.True(replay.IsReplayed());
        Assert.Equal(logged.DecisionId, (await replay.ReadDecisionAsync()).DecisionId);
    }

    public static TheoryData<string> InvalidKeys => new()
    {
        // One character over the limit.
        new string('k', CheckEndpoints.MaxIdempotencyKeyLength + 1),
        // Sent, but empty: not the same as no header, which falls back to the draft id.
        string.Empty,
        "order 1",
        // Control characters: Kestrel passes them through, so the gate's own check has to stop them.
        "order\t1",
        "order\u00011",
        "order\u007F1",
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Check_InvalidKey_Returns400NamingTheHeaderAndLogsNothing(string key)
    {
        var response = await _client.CheckWithKeyAsync(Body("idem-invalid"), key);

        await response.AssertInvalidAsync(CheckEndpoints.IdempotencyHeader);
        Assert.Empty(await _client.ListAllAsync("idem-invalid"));
    }

    [Fact]
    public async Task Check_KeySentOnTwoLines_Returns400NamingTheHeader()
    {
        // NOTE: HttpClient joins repeated values into one line, so the request is written by hand; HTTP/1.0 keeps
        // the answer unchunked.
        var body = System.Text.Encoding.UTF8.GetBytes(Body("idem-invalid"));
        var head =
            $"POST {TestHttp.CheckPath} HTTP/1.0\r\nHost: {_client.BaseAddress!.Authority}\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {body.Length}\r\n{CheckEndpoints.IdempotencyHeader}: order-1\r\n{CheckEndpoints.IdempotencyHeader}: order-2\r\nConnection: close\r\n\r\n";
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tcp.ConnectAsync(_client.BaseAddress.Host, _client.BaseAddress.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync(timeout.Token);

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]).RootElement;
        Assert.Equal(Problems.ProblemTypes.InvalidRequest, problem.GetProperty("type").GetString());
        Assert.Equal([CheckEndpoints.IdempotencyHeader], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Empty(await _client.ListAllAsync("idem-invalid"));
    }
}
