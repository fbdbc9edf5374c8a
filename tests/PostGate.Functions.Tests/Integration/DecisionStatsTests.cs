using System.Globalization;
using System.Net.Http.Json;
using PostGate.Functions.Contracts;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>The dashboard's aggregates on the real log in Azurite, counted from the rows the checks wrote.</summary>
[Collection(UsesAzurite.Name)]
public sealed class DecisionStatsTests : IDisposable
{
    private readonly GateApp _app;
    private readonly HttpClient _client;

    public DecisionStatsTests(AzuriteFixture azurite)
    {
        _app = azurite.App(azurite.TableFor(typeof(DecisionStatsTests)));
        _client = _app.CreateClient();
    }

    public void Dispose() => _app.Dispose();

    private static string UniqueAccount(string name) => name + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A hard sell (held), a reply to a customer (allowed) and a plain broadcast, scheduled an hour apart from now.</summary>
    private async Task<DecisionResponse[]> SeedAsync(string accountId)
    {
        var now = DateTimeOffset.UtcNow;
        object[] drafts =
        [
            new { accountId, channel = "x", text = "BUY NOW!!! 50% off, limited time only: bit.ly/deal", scheduledAt = now.AddHours(1), draftId = "sell" },
            new { accountId, channel = "x", text = "Thanks for asking! The soup is vegan.", scheduledAt = now.AddHours(2), draftId = "reply", inReplyTo = "c-1" },
            new { accountId, channel = "linkedin", text = "Our winter menu is out: soups, stews and fresh bread.", scheduledAt = now.AddHours(3), draftId = "menu" },
        ];
        var decisions = new List<DecisionResponse>();
        foreach (var draft in drafts)
        {
            decisions.Add(await (await _client.CheckAsync(draft)).ReadDecisionAsync());
        }

        return [.. decisions];
    }

    private async Task<DecisionStatsResponse> StatsAsync(string query)
    {
        var response = await _client.GetAsync("/api/decisions/stats" + query);
        await TestHttp.AssertStatusAsync(response, System.Net.HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<DecisionStatsResponse>(TestHttp.Web))!;
    }

    private static string Range()
    {
        var now = DateTimeOffset.UtcNow;
        return "from=" + Uri.EscapeDataString(now.AddDays(-1).ToString("O", CultureInfo.InvariantCulture))
            + "&to=" + Uri.EscapeDataString(now.AddDays(1).ToString("O", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Stats_OneAccount_CountsVerdictsRulesAndShares()
    {
        var accountId = UniqueAccount("stats");
        var decisions = await SeedAsync(accountId);

        var stats = await StatsAsync($"?accountId={accountId}&{Range()}");

        Assert.Equal(3, stats.Decisions);
        Assert.Equal(3, stats.VerdictsPerDay.Count);
        Assert.Equal(3, stats.VerdictsPerDay.Sum(d => d.Allow + d.Coach + d.Review + d.Block));
        Assert.Equal(decisions.Count(d => d.Verdict == "review"), stats.VerdictsPerDay.Sum(d => d.Review));
        Assert.Equal(decisions.Count(d => d.Verdict == "allow"), stats.VerdictsPerDay.Sum(d => d.Allow));
        var fired = decisions.SelectMany(d => d.Findings.Select(f => f.RuleId).Distinct()).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(fired.OrderBy(r => r.Key, StringComparer.Ordinal), stats.TopRules.Select(r => KeyValuePair.Create(r.RuleId, r.Decisions)).OrderBy(r => r.Key, StringComparer.Ordinal));
        Assert.Contains(stats.TopRules, r => r.RuleId == "PG201" && r.Rule == "hard-sell/phrases" && r.Title.Length > 0);
        var account = Assert.Single(stats.Accounts);
        Assert.Equal((accountId, 3, 3, 1, 1), (account.AccountId, account.Decisions, account.Posts, account.Replies, account.Promotional));
        Assert.Equal(3, account.Days.Sum(d => d.Posts));
        Assert.All(account.Days, d => Assert.Equal(Math.Round((double)d.Replies / d.Posts, 4), d.ConversationShare));
    }

    [Fact]
    public async Task Stats_AcrossAccounts_FindsEveryAccountWithDecisionsInTheRange()
    {
        var first = UniqueAccount("stats-a");
        var second = UniqueAccount("stats-b");
        await SeedAsync(first);
        await SeedAsync(second);

        var stats = await StatsAsync("?" + Range());

        Assert.Contains(stats.Accounts, a => a.AccountId == first && a.Posts == 3);
        Assert.Contains(stats.Accounts, a => a.AccountId == second && a.Posts == 3);
        Assert.True(stats.Decisions >= 6);
    }

    [Fact]
    public async Task Stats_DecisionsInRangeForPostsScheduledLater_ListsTheAccountWithoutShares()
    {
        var accountId = UniqueAccount("stats-later");
        await (await _client.CheckAsync(new { accountId, channel = "x", text = "Our spring menu arrives in March.", scheduledAt = DateTimeOffset.UtcNow.AddDays(20) })).ReadDecisionAsync();

        var stats = await StatsAsync($"?accountId={accountId}&{Range()}");

        var account = Assert.Single(stats.Accounts);
        Assert.Equal((1, 0), (account.Decisions, account.Posts));
        Assert.Empty(account.Days);
    }

    [Fact]
    public async Task Stats_RangeBeforeTheDecisions_CountsNothing()
    {
        var accountId = UniqueAccount("stats-empty");
        await SeedAsync(accountId);

        var stats = await StatsAsync($"?accountId={accountId}&from=2026-01-01&to=2026-01-31");

        Assert.Equal(0, stats.Decisions);
        Assert.Equal(31, stats.VerdictsPerDay.Count);
        Assert.Empty(stats.TopRules);
        Assert.Empty(stats.Accounts);
    }

    [Fact]
    public async Task Timeline_AroundAPost_ListsTheAccountsPostsOldestFirst()
    {
        var accountId = UniqueAccount("timeline");
        var decisions = await SeedAsync(accountId);
        var at = decisions[1].Draft.ScheduledAt;
        var from = Uri.EscapeDataString(at.AddDays(-1).ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(at.AddDays(1).ToString("O", CultureInfo.InvariantCulture));

        var response = await _client.GetAsync($"/api/decisions/{accountId}/timeline?from={from}&to={to}");

        await TestHttp.AssertStatusAsync(response, System.Net.HttpStatusCode.OK);
        var timeline = (await response.Content.ReadFromJsonAsync<TimelineResponse>(TestHttp.Web))!;
        Assert.Equal(decisions.Select(d => d.DecisionId), timeline.Entries.Select(e => e.DecisionId));
        Assert.Equal(["broadcast", "reply", "broadcast"], timeline.Entries.Select(e => e.Kind));
        Assert.True(timeline.Entries[0].Promotional);
    }
}
