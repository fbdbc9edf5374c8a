using System.Net;
using System.Net.Http.Headers;
using System.Text;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using PostGate.Functions.Contracts;
using PostGate.Functions.Endpoints;
using PostGate.Functions.Problems;
using PostGate.Functions.Storage;
using PostGate.Rules.Engine;
using Xunit;

namespace PostGate.Functions.Tests.Endpoints;

public sealed class CheckEndpointsTests : IClassFixture<GateApp>
{
    private static readonly DateTimeOffset ExampleScheduledAt = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly GateApp _app;
    private readonly HttpClient _client;

    public CheckEndpointsTests(GateApp app)
    {
        _app = app;
        _app.Reset();
        _client = app.CreateClient();
    }

    /// <summary>A valid body with one field replaced (or removed, when the value is <c>undefined</c>).</summary>
    private static string With(string field, string json)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["accountId"] = "\"acme\"",
            ["channel"] = "\"x\"",
            ["text"] = "\"Our winter menu is out; the soup is back.\"",
            ["scheduledAt"] = "\"2026-12-01T09:00:00Z\"",
        };
        if (json == "undefined")
        {
            fields.Remove(field);
        }
        else
        {
            fields[field] = json;
        }

        return "{" + string.Join(',', fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
    }

    private static string Text(string text) => $$"""{"accountId":"acme","channel":"x","text":"{{text}}"}""";

    public static TheoryData<string, string[]> InvalidBodies => new()
    {
        { "{", [""] },
        { "", [""] },
        { "not json", [""] },
        { """{"accountId":"acme",}""", [""] },
        { "[]", [""] },
        { "\"BUY NOW\"", [""] },
        { "42", [""] },
        { "null", [""] },
        { "{}", ["/accountId", "/channel", "/text"] },
        { With("accountId", "undefined"), ["/accountId"] },
        { With("accountId", "null"), ["/accountId"] },
        { With("accountId", "42"), ["/accountId"] },
        { With("accountId", "\"\""), ["/accountId"] },
        { With("accountId", "[\"acme\"]"), ["/accountId"] },
        { With("accountId", "\"" + new string('a', CheckRequest.MaxIdLength + 1) + "\""), ["/accountId"] },
        { With("channel", "undefined"), ["/channel"] },
        { With("channel", "true"), ["/channel"] },
        { With("channel", "\"myspace\""), ["/channel"] },
        // Wire names are lower case and compared exactly.
        { With("channel", "\"X\""), ["/channel"] },
        { With("text", "undefined"), ["/text"] },
        { With("text", "{}"), ["/text"] },
        { With("text", "\"\""), ["/text"] },
        { With("text", "\"   \\t\\r\\n  \""), ["/text"] },
        // No-break and em spaces are whitespace too.
        { With("text", "\"\\u00A0\\u2003\""), ["/text"] },
        { With("text", "\"" + new string('a', CheckRequest.MaxTextLength + 1) + "\""), ["/text"] },
        // An unpaired surrogate cannot become a .NET string safely: a field error, not a crash.
        { With("text", "\"fine \\uD800 text\""), ["/text"] },
        { With("scheduledAt", "5"), ["/scheduledAt"] },
        { With("draftId", "\"\""), ["/draftId"] },
        { With("draftId", "7"), ["/draftId"] },
        { With("author", "false"), ["/author"] },
        { With("campaign", "[]"), ["/campaign"] },
        { With("inReplyTo", "{}"), ["/inReplyTo"] },
        // The quoted message needs the id of the message it quotes.
        { With("inReplyToText", "\"Is the soup back?\""), ["/inReplyToText"] },
        { With("inReplyToText", "5"), ["/inReplyToText"] },
        { With("inReplyToText", "\"" + new string('a', CheckRequest.MaxInReplyToTextLength + 1) + "\""), ["/inReplyToText"] },
        { With("links", "\"bit.ly/deal\""), ["/links"] },
        { With("links", "[1]"), ["/links/0"] },
        { With("links", "[\"https://acme.example\",\" \"]"), ["/links/1"] },
        { With("links", "[" + string.Join(',', Enumerable.Repeat("\"https://acme.example\"", CheckRequest.MaxLinks + 1)) + "]"), ["/links"] },
        { With("links", "[\"https://acme.example/" + new string('a', CheckRequest.MaxLinkLength) + "\"]"), ["/links/0"] },
        { With("mediaCount", "-1"), ["/mediaCount"] },
        { With("mediaCount", "101"), ["/mediaCount"] },
        { With("mediaCount", "1.5"), ["/mediaCount"] },
        { With("mediaCount", "\"3\""), ["/mediaCount"] },
        { With("colour", "\"red\""), ["/colour"] },
        // Field names are escaped as JSON pointer tokens (RFC 6901).
        { With("a/b~c", "1"), ["/a~1b~0c"] },
        // Names are case-sensitive: AccountId is unknown and accountId is missing.
        { With("accountId", "undefined").Replace("{", "{\"AccountId\":\"acme\",", StringComparison.Ordinal), ["/AccountId", "/accountId"] },
        { """{"accountId":"acme","channel":"x","text":"one","text":"two"}""", ["/text"] },
        // A repeated name is found after its escapes are read, and a repeated unknown field is named once.
        { """{"accountId":"acme","acc\u006funtId":"acme","channel":"x","text":"one"}""", ["/accountId"] },
        { """{"accountId":"acme","channel":"x","text":"one","extra":1,"extra":2}""", ["/extra"] },
        { """{"accountId":5,"channel":"x","text":"one","accountId":"acme"}""", ["/accountId"] },
        // Every bad field is reported at once.
        { """{"accountId":1,"channel":"fax","text":"","extra":null}""", ["/accountId", "/channel", "/text", "/extra"] },
        // Deeper than the reader allows.
        { With("links", new string('[', 20) + new string(']', 20)), [""] },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Check_InvalidBody_Returns400WithPointers(string body, string[] keys)
    {
        var response = await _client.CheckAsync(body);

        await response.AssertInvalidAsync(keys);
        await _app.Log.DidNotReceiveWithAnyArgs().AppendAsync(default!, default!, default, default);
    }

    public static TheoryData<string> InvalidScheduledAt => new()
    {
        "tomorrow",
        "",
        "2026-12-01",
        // Without an offset the instant is ambiguous.
        "2026-12-01T09:00:00",
        "2026-13-01T09:00:00Z",
        "2026-12-01T25:00:00Z",
        "1764579600",
        // Ends in a digit run that looks like an offset but is not one.
        "2026-12-01T09:00:00+0100",
        // The cadence window reaches 7 days back and 1 day ahead; these would overflow it.
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
    };

    [Theory]
    [MemberData(nameof(InvalidScheduledAt))]
    public async Task Check_BadScheduledAt_Returns400AtScheduledAt(string scheduledAt)
    {
        var response = await _client.CheckAsync(With("scheduledAt", "\"" + scheduledAt + "\""));

        await response.AssertInvalidAsync("/scheduledAt");
    }

    [Fact]
    public async Task Check_UnpairedSurrogateInFieldName_Returns400ForWholeBody()
    {
        var response = await _client.CheckAsync(With("\\uDC00", "1"));

        await response.AssertInvalidAsync(string.Empty);
    }

    [Fact]
    public async Task Check_TextOfExactlyMaxLength_IsAccepted()
    {
        var response = await _client.CheckAsync(Text(string.Concat(Enumerable.Repeat("soup ", CheckRequest.MaxTextLength / 5)).TrimEnd() + "."));

        var decision = await response.ReadDecisionAsync();
        Assert.Equal(CheckRequest.MaxTextLength, decision.Draft.Text.Length);
    }

    [Fact]
    public async Task Check_AnswerCarriesItsLengthAndWritesTextAsItIs()
    {
        var response = await _client.CheckAsync(Text("Caf\u00e9 \\\"menu\\\" it's <new> \u4f60\u597d"));

        var raw = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"text\":\"Caf\u00e9 \\\"menu\\\" it's <new> \u4f60\u597d\"", raw, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetByteCount(raw), response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Check_BodyOverCap_Returns400ForWholeBody()
    {
        var response = await _client.CheckAsync(Text(new string('a', CheckRequest.MaxBodyBytes)));

        await response.AssertInvalidAsync(string.Empty);
    }

    [Fact]
    public async Task Check_BodyOverCapWithoutContentLength_Returns400ForWholeBody()
    {
        var bytes = Encoding.UTF8.GetBytes(Text(new string('a', CheckRequest.MaxBodyBytes)));
        using var content = new StreamContent(new NonSeekableStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Null(content.Headers.ContentLength);

        var response = await _client.PostAsync(TestHttp.CheckPath, content);

        await response.AssertInvalidAsync(string.Empty);
    }

    [Fact]
    public async Task Check_BodyOfExactlyCap_IsReadAndValidated()
    {
        var prefix = Text(string.Empty);
        var body = prefix.Insert(prefix.Length - 2, new string('a', CheckRequest.MaxBodyBytes - prefix.Length));
        Assert.Equal(CheckRequest.MaxBodyBytes, Encoding.UTF8.GetByteCount(body));

        var response = await _client.CheckAsync(body);

        // The cap lets it through; the text limit then names the field.
        await response.AssertInvalidAsync("/text");
    }

    public static TheoryData<string?> NotJson => new()
    {
        null,
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        // Looks like JSON but is another type.
        "application/jsonp",
        "text/json",
    };

    [Theory]
    [MemberData(nameof(NotJson))]
    public async Task Check_NotJsonContentType_Returns415(string? contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(TestHttp.ExamplePost));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        var response = await _client.PostAsync(TestHttp.CheckPath, content);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
        await _app.Log.DidNotReceiveWithAnyArgs().ReadTimelineAsync(default!, default, default, default);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("application/vnd.postgate.draft+json")]
    public async Task Check_JsonContentTypes_AreAccepted(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(TestHttp.ExamplePost));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await _client.PostAsync(TestHttp.CheckPath, content);

        await response.ReadDecisionAsync();
    }

    [Theory]
    [InlineData("dryrun")]
    [InlineData("PREVIEW")]
    [InlineData("preview%20")]
    [InlineData("true")]
    public async Task Check_BadMode_Returns400AtMode(string mode)
    {
        var response = await _client.CheckAsync(TestHttp.ExamplePost, "?mode=" + mode);

        await response.AssertInvalidAsync("mode");
        await _app.Log.DidNotReceiveWithAnyArgs().AppendAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task Check_ExamplePost_ReturnsCoachingAndLogsOnce()
    {
        var now = _app.Time.GetUtcNow();

        var response = await _client.CheckAsync(TestHttp.ExamplePost);

        var decision = await response.ReadDecisionAsync();
        Assert.Matches("^[0-9a-f]{32}$", decision.DecisionId);
        Assert.Equal(now, Keys.DecisionTime(decision.DecisionId));
        Assert.Equal("acme", decision.AccountId);
        Assert.Equal("d-1", decision.DraftId);
        Assert.NotEqual("allow", decision.Verdict);
        Assert.Contains(decision.Verdict, new[] { "coach", "review", "block" });
        Assert.NotEmpty(decision.Findings);
        Assert.All(decision.Findings, f =>
        {
            Assert.Matches("^PG[1-4][0-9]{2}$", f.RuleId);
            Assert.Matches("^[a-z-]+/[a-z-]+$", f.Rule);
            Assert.Contains(f.Severity, new[] { "coach", "review", "block" });
            Assert.False(string.IsNullOrWhiteSpace(f.Message));
            Assert.False(string.IsNullOrWhiteSpace(f.Coaching));
            Assert.NotNull(f.Spans);
            Assert.All(f.Spans, s => Assert.InRange(s.Start + s.Length, 1, decision.Draft.Text.Length));
        });
        Assert.Contains(decision.Findings, f => f.Spans.Count > 0);
        Assert.Contains(decision.Findings, f => f.RuleId.StartsWith("PG2", StringComparison.Ordinal));
        Assert.NotEmpty(decision.Summary);
        Assert.False(string.IsNullOrWhiteSpace(decision.PolicyVersion));
        Assert.Equal(now, decision.DecidedAt);
        Assert.True(decision.Logged);
        Assert.NotNull(decision.Analysis);
        Assert.True(decision.Analysis.HardSell.Score > 0);
        Assert.Empty(decision.ShadowFindings ?? []);
        Assert.Equal(ExampleScheduledAt, decision.Draft.ScheduledAt);
        Assert.Equal("sam", decision.Draft.Author);

        await _app.Log.Received(1).ReadTimelineAsync(
            "acme", ExampleScheduledAt - CheckEndpoints.TimelineBefore, ExampleScheduledAt + CheckEndpoints.TimelineAfter, Arg.Any<CancellationToken>());
        await _app.Log.Received(1).AppendAsync(
            Arg.Is<DecisionResponse>(d => d.DecisionId == decision.DecisionId && d.Verdict == decision.Verdict && d.Logged),
            Arg.Is<TimelineEntry>(e =>
                e.DecisionId == decision.DecisionId
                && e.DraftId == "d-1"
                && e.ScheduledAt == ExampleScheduledAt
                && e.Channel == Channel.X
                && e.Kind == PostKind.Broadcast
                && e.HardSellScore > 0),
            Arg.Any<IdempotencyKey?>(),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Check_ExamplePost_NeverLogsTextOrAccountId()
    {
        var response = await _client.CheckAsync(TestHttp.ExamplePost);

        await response.ReadDecisionAsync();
        Assert.Contains(_app.LogLines, l => l.Contains("[1001]", StringComparison.Ordinal));
        Assert.DoesNotContain(_app.LogLines, l => l.Contains("BUY NOW", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(_app.LogLines, l => l.Contains("acme", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_FriendlyReply_IsAllowed()
    {
        var response = await _client.CheckAsync(
            """{"accountId":"acme","channel":"x","text":"Thanks for telling us, Jo. The fix went out this morning; let us know if it still happens.","inReplyTo":"m-42","scheduledAt":"2026-12-01T09:00:00Z"}""");

        var decision = await response.ReadDecisionAsync();
        Assert.Equal("allow", decision.Verdict);
        Assert.Empty(decision.Findings);
        Assert.Equal("m-42", decision.Draft.InReplyTo);
        await _app.Log.Received(1).AppendAsync(
            Arg.Any<DecisionResponse>(), Arg.Is<TimelineEntry>(e => e.Kind == PostKind.Reply), Arg.Any<IdempotencyKey?>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Check_Preview_AnswersButNeverAppends()
    {
        var response = await _client.CheckAsync(TestHttp.ExamplePost, "?mode=preview");

        var decision = await response.ReadDecisionAsync();
        Assert.NotEqual("allow", decision.Verdict);
        Assert.False(decision.Logged);
        await _app.Log.ReceivedWithAnyArgs(1).ReadTimelineAsync(default!, default, default, default);
        await _app.Log.DidNotReceiveWithAnyArgs().AppendAsync(default!, default!, default, default);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?mode=")]
    [InlineData("?mode=log")]
    public async Task Check_DefaultMode_Appends(string query)
    {
        var response = await _client.CheckAsync(TestHttp.ExamplePost, query);

        Assert.True((await response.ReadDecisionAsync()).Logged);
        await _app.Log.ReceivedWithAnyArgs(1).AppendAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task Check_ScheduledAtWithOffset_IsNormalizedToUtc()
    {
        var response = await _client.CheckAsync(With("scheduledAt", "\"2026-12-01T11:00:00+02:00\""));

        var decision = await response.ReadDecisionAsync();
        Assert.Equal(ExampleScheduledAt, decision.Draft.ScheduledAt);
        Assert.Equal(TimeSpan.Zero, decision.Draft.ScheduledAt.Offset);
    }

    [Fact]
    public async Task Check_WithoutScheduledAt_UsesNow()
    {
        _app.Time.Advance(TimeSpan.FromMinutes(90));
        var now = _app.Time.GetUtcNow();

        var response = await _client.CheckAsync(With("scheduledAt", "undefined"));

        var decision = await response.ReadDecisionAsync();
        Assert.Equal(now, decision.Draft.ScheduledAt);
        Assert.Equal(now, decision.DecidedAt);
    }

    [Fact]
    public async Task Check_BusyTimeline_ReportsCadenceFindings()
    {
        IReadOnlyList<TimelineEntry> timeline =
        [
            .. Enumerable.Range(1, 5).Select(i => new TimelineEntry(
                $"earlier-{i}", null, ExampleScheduledAt.AddMinutes(-30 * i), Channel.X, PostKind.Broadcast, 0, 0)),
        ];
        _app.Log.ReadTimelineAsync("acme", Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(timeline));

        var response = await _client.CheckAsync(With("text", "\"Our winter menu is out; the soup is back.\""));

        var decision = await response.ReadDecisionAsync();
        Assert.Contains(decision.Findings, f => f.RuleId == "PG301");
        Assert.Contains(decision.Findings, f => f.RuleId == "PG302");
    }

    [Fact]
    public async Task Check_AppendUnavailable_Returns503WithoutVerdict()
    {
        _app.Log.AppendAsync(Arg.Any<DecisionResponse>(), Arg.Any<TimelineEntry>(), Arg.Any<IdempotencyKey?>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new StorageUnavailableException("down"));

        var response = await _client.CheckAsync(TestHttp.ExamplePost);

        await response.AssertStorageUnavailableAsync();
        Assert.Equal(TimeSpan.FromSeconds(CheckEndpoints.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Check_TimelineUnavailable_Returns503AndNeverAppends()
    {
        _app.Log.ReadTimelineAsync(Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new StorageUnavailableException("down"));

        var response = await _client.CheckAsync(TestHttp.ExamplePost);

        await response.AssertStorageUnavailableAsync();
        await _app.Log.DidNotReceiveWithAnyArgs().AppendAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task Check_PreviewWithTimelineUnavailable_Returns503()
    {
        _app.Log.ReadTimelineAsync(Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new StorageUnavailableException("down"));

        var response = await _client.CheckAsync(TestHttp.ExamplePost, "?mode=preview");

        await response.AssertStorageUnavailableAsync();
    }

    [Fact]
    public async Task Check_UnexpectedFailure_Returns500ProblemWithoutExceptionText()
    {
        _app.Log.AppendAsync(Arg.Any<DecisionResponse>(), Arg.Any<TimelineEntry>(), Arg.Any<IdempotencyKey?>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new InvalidOperationException("secret-internal-detail"));

        var response = await _client.CheckAsync(TestHttp.ExamplePost);

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError, ProblemTypes.Unexpected);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("secret-internal-detail", problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", problem.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>A body stream without a length, so the client sends it chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
