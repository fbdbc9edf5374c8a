using System.Net;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using PostGate.Functions.Contracts;
using PostGate.Functions.Problems;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Endpoints;

public sealed class DecisionEndpointsTests : IClassFixture<GateApp>
{
    private static readonly string DecisionId = Keys.NewDecisionId(GateApp.Start);

    private readonly GateApp _app;
    private readonly HttpClient _client;

    public DecisionEndpointsTests(GateApp app)
    {
        _app = app;
        _app.Reset();
        _client = app.CreateClient();
    }

    private static DecisionResponse Decision(string accountId = "acme") =>
        new(
            DecisionId,
            accountId,
            "d-1",
            "coach",
            [new FindingResponse("PG203", "hard-sell/exclamations", "coach", "Too many.", "Use one.", [new SpanResponse(7, 3)], ["!!!"])],
            ["Use one exclamation mark"],
            "2026.1",
            GateApp.Start,
            Logged: true,
            new DraftResponse(accountId, "x", "BUY NOW!!!", GateApp.Start.AddDays(1), "d-1", "sam", null, null, [], 0));

    public static TheoryData<string, string[]> InvalidListQueries => new()
    {
        // Across all accounts the range is bounded, and every filter is checked.
        { "?from=2026-01-01&to=2026-12-31", ["from"] },
        { "?from=2026-12-02&to=2026-12-01", ["from"] },
        { "?accountId=acme&from=yesterday", ["from"] },
        { "?accountId=acme&verdict=maybe", ["verdict"] },
        { "?accountId=acme&rule=PG999", ["rule"] },
        { "?accountId=acme&channel=myspace", ["channel"] },
        { "?accountId=acme&reviewStatus=lost", ["reviewStatus"] },
        { "?accountId=acme&format=xml", ["format"] },
        { "?accountId=acme&sort=asc", ["sort"] },
        { "?accountId=", ["accountId"] },
        { "?accountId=" + new string('a', CheckRequest.MaxIdLength + 1), ["accountId"] },
        { "?accountId=acme&pageSize=0", ["pageSize"] },
        { "?accountId=acme&pageSize=-1", ["pageSize"] },
        { "?accountId=acme&pageSize=" + (DecisionQuery.MaxPageSize + 1), ["pageSize"] },
        // Not a number at all: the same problem as out of range, not a framework 400.
        { "?accountId=acme&pageSize=abc", ["pageSize"] },
        { "?accountId=acme&pageSize=1.5", ["pageSize"] },
        { "?accountId=acme&pageSize=99999999999", ["pageSize"] },
        { "?pageSize=0", ["pageSize"] },
    };

    [Theory]
    [MemberData(nameof(InvalidListQueries))]
    public async Task List_InvalidQuery_Returns400WithParameterNames(string query, string[] keys)
    {
        var response = await _client.GetAsync("/api/decisions" + query);

        await response.AssertInvalidAsync(keys);
        await _app.Log.DidNotReceiveWithAnyArgs().ListAsync(default!, default);
    }

    [Theory]
    [InlineData("", DecisionQuery.DefaultPageSize)]
    [InlineData("&pageSize=1", 1)]
    [InlineData("&pageSize=200", DecisionQuery.MaxPageSize)]
    public async Task List_ValidQuery_PassesPageSize(string extra, int pageSize)
    {
        _app.Log.ListAsync(Arg.Is<DecisionQuery>(q => q.AccountId == "acme" && q.PageSize == pageSize && q.ContinuationToken == null), Arg.Any<CancellationToken>())
            .Returns(new DecisionPageResponse([Decision()], "next-page"));

        var response = await _client.GetAsync("/api/decisions?accountId=acme" + extra);

        var page = await response.ReadPageAsync();
        Assert.Equal(DecisionId, Assert.Single(page.Items).DecisionId);
        Assert.Equal("next-page", page.ContinuationToken);
    }

    [Fact]
    public async Task List_ContinuationToken_IsPassedUnchanged()
    {
        _app.Log.ListAsync(Arg.Is<DecisionQuery>(q => q.AccountId == "a/b #?" && q.PageSize == 10 && q.ContinuationToken == "cGcxOmFiYw"), Arg.Any<CancellationToken>()).Returns(new DecisionPageResponse([], null));

        var response = await _client.GetAsync("/api/decisions?accountId=a%2Fb%20%23%3F&pageSize=10&continuationToken=cGcxOmFiYw");

        var page = await response.ReadPageAsync();
        Assert.Empty(page.Items);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task List_ForeignContinuationToken_Returns400AtContinuationToken()
    {
        _app.Log.ListAsync(Arg.Any<DecisionQuery>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new InvalidContinuationTokenException("not ours"));

        var response = await _client.GetAsync("/api/decisions?accountId=acme&continuationToken=forged");

        await response.AssertInvalidAsync("continuationToken");
    }

    [Fact]
    public async Task List_StorageUnavailable_Returns503()
    {
        _app.Log.ListAsync(Arg.Any<DecisionQuery>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new StorageUnavailableException("down"));

        var response = await _client.GetAsync("/api/decisions?accountId=acme");

        await response.AssertStorageUnavailableAsync();
    }

    [Fact]
    public async Task Get_Logged_ReturnsDecision()
    {
        _app.Log.GetAsync("acme", DecisionId, Arg.Any<CancellationToken>()).Returns(Decision());

        var response = await _client.GetAsync($"/api/decisions/acme/{DecisionId}");

        var decision = await response.ReadDecisionAsync();
        Assert.Equal(DecisionId, decision.DecisionId);
        Assert.Equal("coach", decision.Verdict);
        Assert.Equal("PG203", Assert.Single(decision.Findings).RuleId);
        Assert.Equal(new SpanResponse(7, 3), Assert.Single(decision.Findings[0].Spans));
    }

    [Fact]
    public async Task Get_Unknown_Returns404Problem()
    {
        var response = await _client.GetAsync($"/api/decisions/acme/{DecisionId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Get_StorageUnavailable_Returns503()
    {
        _app.Log.GetAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new StorageUnavailableException("down"));

        var response = await _client.GetAsync($"/api/decisions/acme/{DecisionId}");

        await response.AssertStorageUnavailableAsync();
    }

    public static TheoryData<string, string> EncodedAccountIds => new()
    {
        // Routing leaves %2F encoded; the handler must still see the slash.
        { "a%2Fb", "a/b" },
        { "a%2fb", "a/b" },
        { "%2F%2Fleading%2Fand%2Ftrailing%2F%2F", "//leading/and/trailing//" },
        { "a%5Cb%23c%3Fd", "a\\b#c?d" },
        // A literal "%2F" in the id arrives double-encoded and must stay literal.
        { "50%252Foff", "50%2Foff" },
        { "%F0%9F%98%80%20caf%C3%A9", "\U0001F600 café" },
        { "tab%09and%01%7F", "tab\tand\u0001\u007F" },
    };

    /// <summary>On Kestrel, as behind the Functions host: the handler reads the raw request target.</summary>
    [Theory]
    [MemberData(nameof(EncodedAccountIds))]
    public async Task Get_PercentEncodedAccountId_ReachesLogDecoded(string encoded, string accountId)
    {
        using var app = GateApp.OnKestrel();
        app.Log.GetAsync(accountId, DecisionId, Arg.Any<CancellationToken>()).Returns(Decision(accountId));

        var response = await app.CreateClient().GetAsync($"/api/decisions/{encoded}/{DecisionId}");

        Assert.Equal(accountId, (await response.ReadDecisionAsync()).AccountId);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/?pageSize=1")]
    public async Task Get_TrailingSlash_StillReadsAccountIdSegment(string suffix)
    {
        using var app = GateApp.OnKestrel();
        app.Log.GetAsync("a/b", DecisionId, Arg.Any<CancellationToken>()).Returns(Decision("a/b"));

        var response = await app.CreateClient().GetAsync($"/api/decisions/a%2Fb/{DecisionId}{suffix}");

        Assert.Equal("a/b", (await response.ReadDecisionAsync()).AccountId);
    }

    [Fact]
    public async Task Get_NulInAccountId_IsRejectedByTheServer()
    {
        // NOTE: Kestrel refuses a request target that decodes to NUL before the app sees it, so such an
        // account's decisions can only be listed (the account id travels in the query there).
        using var app = GateApp.OnKestrel();

        HttpStatusCode? status;
        try
        {
            status = (await app.CreateClient().GetAsync($"/api/decisions/nul%00inside/{DecisionId}")).StatusCode;
        }
        catch (HttpRequestException)
        {
            // Kestrel answers 400 and closes the connection at once; under load the reset can overtake the answer.
            status = null;
        }

        Assert.True(status is null or HttpStatusCode.BadRequest, $"Status was {status}.");
        await app.Log.DidNotReceiveWithAnyArgs().GetAsync(default!, default!, default);
    }

    [Fact]
    public async Task List_NulInAccountId_ReachesLog()
    {
        _app.Log.ListAsync(Arg.Is<DecisionQuery>(q => q.AccountId == "nul\0inside" && q.PageSize == DecisionQuery.DefaultPageSize), Arg.Any<CancellationToken>())
            .Returns(new DecisionPageResponse([Decision("nul\0inside")], null));

        var response = await _client.GetAsync("/api/decisions?accountId=nul%00inside");

        Assert.Equal("nul\0inside", Assert.Single((await response.ReadPageAsync()).Items).AccountId);
    }

    [Fact]
    public async Task Get_UnexpectedFailure_Returns500Problem()
    {
        _app.Log.GetAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new InvalidOperationException("secret-internal-detail"));

        var response = await _client.GetAsync($"/api/decisions/acme/{DecisionId}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError, ProblemTypes.Unexpected);
        Assert.DoesNotContain("secret-internal-detail", problem.GetRawText(), StringComparison.Ordinal);
    }
}
