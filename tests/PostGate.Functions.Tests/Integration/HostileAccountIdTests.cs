using PostGate.Functions.Contracts;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>Account ids are the customer's, not ours: every one must check, log and read back, whatever it holds.</summary>
[Collection(UsesAzurite.Name)]
public sealed class HostileAccountIdTests : IDisposable
{
    private readonly GateApp _app;
    private readonly HttpClient _client;

    public HostileAccountIdTests(AzuriteFixture azurite)
    {
        // NOTE: on Kestrel, as behind the Functions host: reading by path needs the raw request target.
        _app = azurite.App(azurite.TableFor(typeof(HostileAccountIdTests)), kestrel: true);
        _client = _app.CreateClient();
    }

    public void Dispose() => _app.Dispose();

    public static TheoryData<string> HostileIds => new()
    {
        "a/b",
        "//leading/and/trailing//",
        "a\\b",
        "#launch",
        "why?x=1&y=2",
        "tab\there\u0001\u001F\u007F\u0085\u009F",
        "\U0001F600 café",
        // Each escapes to what another would look like if escaping were naive.
        "a!002Fb",
        "a%2Fb",
        "50%off",
        " spaced ",
        "+plus+",
        new string('x', CheckRequest.MaxIdLength),
        string.Concat(Enumerable.Repeat("/#?\u0001\U0001F600", 42)) + "abcd",
    };

    private async Task<DecisionResponse> CheckAsync(string accountId)
    {
        var decision = await (await _client.CheckAsync(new
        {
            accountId,
            channel = "mastodon",
            text = "Our winter menu is out: the soup is back, and so is the bread.",
            scheduledAt = "2026-12-01T09:00:00Z",
            draftId = "hostile",
        })).ReadDecisionAsync();
        Assert.Equal(accountId, decision.AccountId);
        return decision;
    }

    [Theory]
    [MemberData(nameof(HostileIds), DisableDiscoveryEnumeration = true)]
    public async Task Check_HostileAccountId_ReadsBackByPathAndQuery(string accountId)
    {
        var checkedDecision = await CheckAsync(accountId);

        var got = await (await _client.GetAsync($"/api/decisions/{Uri.EscapeDataString(accountId)}/{checkedDecision.DecisionId}")).ReadDecisionAsync();
        var page = await (await _client.GetAsync("/api/decisions?accountId=" + Uri.EscapeDataString(accountId))).ReadPageAsync();

        Assert.Equal(accountId, got.AccountId);
        Assert.Equal(checkedDecision.DecisionId, got.DecisionId);
        Assert.Equal(checkedDecision.Verdict, got.Verdict);
        var listed = Assert.Single(page.Items);
        Assert.Equal(checkedDecision.DecisionId, listed.DecisionId);
        Assert.Equal(accountId, listed.Draft.AccountId);
    }

    [Fact]
    public async Task Check_NulInAccountId_ReadsBackByQuery()
    {
        // Kestrel rejects %00 in a path (see DecisionEndpointsTests), so the list is the way back to these.
        var checkedDecision = await CheckAsync("nul\0inside");

        var page = await (await _client.GetAsync("/api/decisions?accountId=nul%00inside")).ReadPageAsync();

        Assert.Equal(checkedDecision.DecisionId, Assert.Single(page.Items).DecisionId);
    }

    [Fact]
    public async Task Get_DecisionOfOtherAccount_Returns404()
    {
        var checkedDecision = await (await _client.CheckAsync(new
        {
            accountId = "owner/one",
            channel = "x",
            text = "Our winter menu is out: the soup is back.",
        })).ReadDecisionAsync();

        var response = await _client.GetAsync($"/api/decisions/{Uri.EscapeDataString("owner!002Fone")}/{checkedDecision.DecisionId}");

        await response.AssertProblemAsync(System.Net.HttpStatusCode.NotFound, Problems.ProblemTypes.NotFound);
    }
}
