using System.Net;
using System.Net.Http.Json;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using PostGate.Rules.Engine;
using Xunit;

namespace PostGate.Functions.Tests.Endpoints;

public sealed class DashboardEndpointsTests : IClassFixture<GateApp>
{
    private readonly GateApp _app;
    private readonly HttpClient _client;

    public DashboardEndpointsTests(GateApp app)
    {
        _app = app;
        _app.Reset();
        _client = app.CreateClient();
    }

    public static TheoryData<string, string[]> InvalidStatsQueries => new()
    {
        { "?from=2026-01-01&to=2026-12-31", ["from"] },
        { "?from=2026-12-02&to=2026-12-01", ["from"] },
        { "?from=yesterday", ["from"] },
        { "?to=2026-13-01", ["to"] },
        { "?accountId=", ["accountId"] },
        { "?accountId=" + new string('a', CheckRequest.MaxIdLength + 1), ["accountId"] },
    };

    [Theory]
    [MemberData(nameof(InvalidStatsQueries))]
    public async Task Stats_InvalidRange_Returns400NamingTheParameter(string query, string[] keys)
    {
        var response = await _client.GetAsync("/api/decisions/stats" + query);

        await response.AssertInvalidAsync(keys);
        Assert.Empty(_app.Stats.ReceivedCalls());
    }

    [Fact]
    public async Task Stats_NoRange_AsksForTheLast30Days()
    {
        var response = await _client.GetAsync("/api/decisions/stats");

        await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
        var now = _app.Time.GetUtcNow();
        await _app.Stats.Received(1).StatsAsync(
            Arg.Is<DecisionStatsQuery>(q => q.AccountId == null && q.To == now && q.From == now.AddDays(-30)),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Stats_AccountAndRange_PassesThemOnAndAnswersTheAggregate()
    {
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        _app.Stats.StatsAsync(Arg.Any<DecisionStatsQuery>(), Arg.Any<CancellationToken>()).Returns(new DecisionStatsResponse(
            "acme", from, to, 3,
            [new VerdictDayResponse("2026-11-01", 1, 1, 1, 0)],
            [new RuleCountResponse("PG201", "hard-sell/phrases", "Sales phrases", 1)],
            [new AccountShareResponse("acme", 3, 2, 1, 1, [new ShareDayResponse("2026-11-01", 2, 1, 1, 0.5, 0.5)])]));

        var response = await _client.GetAsync("/api/decisions/stats?accountId=acme&from=2026-11-01&to=2026-11-30");

        await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
        var stats = await response.Content.ReadFromJsonAsync<DecisionStatsResponse>(TestHttp.Web);
        Assert.Equal(3, stats!.Decisions);
        Assert.Equal("PG201", Assert.Single(stats.TopRules).RuleId);
        Assert.Equal(0.5, Assert.Single(Assert.Single(stats.Accounts).Days).ConversationShare);
        await _app.Stats.Received(1).StatsAsync(new DecisionStatsQuery("acme", from, to), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Stats_StorageDown_Returns503()
    {
        _app.Stats.StatsAsync(Arg.Any<DecisionStatsQuery>(), Arg.Any<CancellationToken>()).ThrowsAsync(new StorageUnavailableException("down"));

        var response = await _client.GetAsync("/api/decisions/stats");

        await response.AssertStorageUnavailableAsync();
    }

    [Fact]
    public async Task Timeline_Range_ReadsTheWindowAndAnswersOldestFirst()
    {
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        _app.Log.ReadTimelineAsync("acme", Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult<IReadOnlyList<TimelineEntry>>(
            [
                new TimelineEntry("b", "d-2", at.AddHours(2), Channel.LinkedIn, PostKind.Reply, 0, 0),
                new TimelineEntry("a", "d-1", at, Channel.X, PostKind.Broadcast, 1, 9) { Promotional = true },
            ]));

        var response = await _client.GetAsync("/api/decisions/acme/timeline?from=2026-11-24T09:00:00Z&to=2026-12-02T09:00:00Z");

        await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
        var timeline = await response.Content.ReadFromJsonAsync<TimelineResponse>(TestHttp.Web);
        Assert.Equal(["a", "b"], timeline!.Entries.Select(e => e.DecisionId));
        Assert.Equal(new TimelineEntryResponse("a", "d-1", at, "x", "broadcast", 1, 9, true), timeline.Entries[0]);
        Assert.Equal("reply", timeline.Entries[1].Kind);
        await _app.Log.Received(1).ReadTimelineAsync("acme", at.AddDays(-7), at.AddDays(1), Arg.Any<CancellationToken>());
    }

    [Theory]
    // The cadence rules look back at most 31 days; a longer window is not context but a crawl.
    [InlineData("?from=2026-10-01&to=2026-12-01", "from")]
    [InlineData("?from=soon", "from")]
    public async Task Timeline_InvalidRange_Returns400(string query, string key)
    {
        var response = await _client.GetAsync("/api/decisions/acme/timeline" + query);

        await response.AssertInvalidAsync(key);
    }

    [Fact]
    public async Task Timeline_EncodedAccountId_ReadsThatAccount()
    {
        using var app = GateApp.OnKestrel();

        var response = await app.CreateClient().GetAsync("/api/decisions/acme%2Feu/timeline");

        await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
        await app.Log.Received(1).ReadTimelineAsync("acme/eu", Arg.Any<DateTimeOffset>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task WhoAmI_OpenMode_NamesTheCallerAndEveryRole()
    {
        var response = await _client.GetAsync("/api/me");

        await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
        var me = await response.Content.ReadFromJsonAsync<WhoAmIResponse>(TestHttp.Web);
        Assert.True(me!.SignedIn);
        Assert.Equal("open-mode", me.Name);
        Assert.Equal(["marketer", "compliance"], me.Roles);
        Assert.Equal(["*"], me.Accounts);
        Assert.Equal("Open", me.Authentication);
    }

    [Fact]
    public async Task WhoAmI_KeyedGateWithoutOrWithBadKey_AnswersNotSignedIn()
    {
        using var app = GateApp.WithAuth(Callers.Keys());

        var anonymous = await app.CreateClient(Callers.Anonymous).GetFromJsonAsync<WhoAmIResponse>("/api/me", TestHttp.Web);
        var badKey = await app.CreateClient(Callers.BadKey).GetFromJsonAsync<WhoAmIResponse>("/api/me", TestHttp.Web);
        var compliance = await app.CreateClient(Callers.Compliance).GetFromJsonAsync<WhoAmIResponse>("/api/me", TestHttp.Web);

        Assert.False(anonymous!.SignedIn);
        Assert.False(badKey!.SignedIn);
        Assert.True(compliance!.SignedIn);
        Assert.Equal(["compliance"], compliance.Roles);
        Assert.Equal("ApiKey", compliance.Authentication);
    }
}
