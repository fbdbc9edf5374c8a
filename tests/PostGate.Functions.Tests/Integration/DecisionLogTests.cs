using System.Text.Json;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>The real decision log on Azurite: what a check writes can be listed and read back, across restarts.</summary>
[Collection(UsesAzurite.Name)]
public sealed class DecisionLogTests : IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly GateApp _app;
    private readonly HttpClient _client;

    public DecisionLogTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _app = azurite.App(azurite.TableFor(typeof(DecisionLogTests)));
        _client = _app.CreateClient();
    }

    public void Dispose() => _app.Dispose();

    private static void AssertSameDecision(DecisionResponse expected, DecisionResponse actual)
    {
        Assert.Equal(expected.DecisionId, actual.DecisionId);
        Assert.Equal(expected.AccountId, actual.AccountId);
        Assert.Equal(expected.DraftId, actual.DraftId);
        Assert.Equal(expected.Verdict, actual.Verdict);
        Assert.Equal(expected.PolicyVersion, actual.PolicyVersion);
        Assert.Equal(expected.Summary, actual.Summary);
        Assert.Equal(expected.DecidedAt, actual.DecidedAt);
        Assert.Equal(expected.Draft.Text, actual.Draft.Text);
        Assert.Equal(expected.Draft.ScheduledAt, actual.Draft.ScheduledAt);
        Assert.Equal(expected.Draft.Channel, actual.Draft.Channel);
        Assert.Equal(expected.Draft.Author, actual.Draft.Author);
        Assert.Equal(expected.Draft.Links, actual.Draft.Links);
        Assert.Equal(expected.Findings.Count, actual.Findings.Count);
        foreach (var (e, a) in expected.Findings.Zip(actual.Findings))
        {
            Assert.Equal(e.RuleId, a.RuleId);
            Assert.Equal(e.Rule, a.Rule);
            Assert.Equal(e.Severity, a.Severity);
            Assert.Equal(e.Message, a.Message);
            Assert.Equal(e.Coaching, a.Coaching);
            Assert.Equal(e.Spans, a.Spans);
            Assert.Equal(e.Evidence, a.Evidence);
        }

        Assert.Equal(JsonSerializer.Serialize(expected.Analysis, TestHttp.Web), JsonSerializer.Serialize(actual.Analysis, TestHttp.Web));
        Assert.True(actual.Logged);
    }

    private static async Task<DecisionResponse> GetAsync(HttpClient client, DecisionResponse decision) =>
        await (await client.GetAsync($"/api/decisions/{Uri.EscapeDataString(decision.AccountId)}/{decision.DecisionId}")).ReadDecisionAsync();

    [Fact]
    public async Task Check_ThenListAndGet_ReturnTheSameDecision()
    {
        var checkedDecision = await (await _client.CheckAsync(TestHttp.ExamplePost.Replace("\"acme\"", "\"acme-roundtrip\"", StringComparison.Ordinal))).ReadDecisionAsync();
        Assert.NotEqual("allow", checkedDecision.Verdict);

        var page = await (await _client.GetAsync("/api/decisions?accountId=acme-roundtrip")).ReadPageAsync();
        var got = await GetAsync(_client, checkedDecision);

        AssertSameDecision(checkedDecision, Assert.Single(page.Items));
        AssertSameDecision(checkedDecision, got);
    }

    [Fact]
    public async Task List_PagesNewestFirstWithContinuationToken()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var decision = await (await _client.CheckAsync(new
            {
                accountId = "acme-pages",
                channel = "linkedin",
                text = $"Our winter menu, part {i}: the soup is back.",
                scheduledAt = new DateTimeOffset(2026, 12, 1 + i, 9, 0, 0, TimeSpan.Zero),
            })).ReadDecisionAsync();
            ids.Add(decision.DecisionId);

            // NOTE: decision rows sort by decision time in milliseconds; a pause keeps the expected order exact.
            await Task.Delay(5);
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            var query = "/api/decisions?accountId=acme-pages&pageSize=2" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await _client.GetAsync(query)).ReadPageAsync();
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items.Select(d => d.DecisionId));
            token = page.ContinuationToken;
        }
        while (token is not null);

        ids.Reverse();
        Assert.Equal(ids, seen);
    }

    // NOTE: a token that carries this API's prefix goes to the service as is; Azurite answers it with some
    // page of the same account (the partition filter still applies), so only foreign tokens are tested here.
    [Theory]
    [InlineData("forged")]
    [InlineData("forged!")]
    // "pg1:" alone: the prefix with no service token after it.
    [InlineData("cGcxOg")]
    public async Task List_ForeignContinuationToken_Returns400(string token)
    {
        var response = await _client.GetAsync("/api/decisions?accountId=acme&continuationToken=" + token);

        await response.AssertInvalidAsync("continuationToken");
    }

    [Fact]
    public async Task Get_UnknownDecision_Returns404()
    {
        var response = await _client.GetAsync($"/api/decisions/acme/{Keys.NewDecisionId(DateTimeOffset.UtcNow)}");

        await response.AssertProblemAsync(System.Net.HttpStatusCode.NotFound, Problems.ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Check_ThenGateRestart_StillReadsDecision()
    {
        var checkedDecision = await (await _client.CheckAsync(TestHttp.ExamplePost.Replace("\"acme\"", "\"acme-restart\"", StringComparison.Ordinal))).ReadDecisionAsync();

        using var restarted = _azurite.App(_azurite.TableFor(typeof(DecisionLogTests)));
        var got = await GetAsync(restarted.CreateClient(), checkedDecision);

        AssertSameDecision(checkedDecision, got);
    }

    [Fact]
    public async Task Check_ThenAzuriteRestart_StillReadsDecision()
    {
        var checkedDecision = await (await _client.CheckAsync(TestHttp.ExamplePost.Replace("\"acme\"", "\"acme-azurite-restart\"", StringComparison.Ordinal))).ReadDecisionAsync();

        await _azurite.StopAsync();
        await _azurite.StartAsync();

        AssertSameDecision(checkedDecision, await GetAsync(_client, checkedDecision));
        var page = await (await _client.GetAsync("/api/decisions?accountId=acme-azurite-restart")).ReadPageAsync();
        AssertSameDecision(checkedDecision, Assert.Single(page.Items));
    }
}
