using PostGate.Functions.Contracts;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>The cadence rules read the account's timeline from the log the earlier checks wrote.</summary>
[Collection(UsesAzurite.Name)]
public sealed class TimelineTests : IDisposable
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly GateApp _app;
    private readonly HttpClient _client;

    public TimelineTests(AzuriteFixture azurite)
    {
        _app = azurite.App(azurite.TableFor(typeof(TimelineTests)));
        _client = _app.CreateClient();
    }

    public void Dispose() => _app.Dispose();

    private Task<HttpResponseMessage> BroadcastAsync(string accountId, int n, string query = "") =>
        _client.CheckAsync(
            new
            {
                accountId,
                channel = "linkedin",
                text = $"Winter menu note {n}: the soup is back, and so is the bread.",
                scheduledAt = Morning.AddMinutes(30 * n),
                draftId = $"broadcast-{n}",
            },
            query);

    private static string[] RuleIds(DecisionResponse decision) => [.. decision.Findings.Select(f => f.RuleId)];

    [Fact]
    public async Task Check_SixBroadcastsInAMorning_LaterOnesGetCadenceFindings()
    {
        var decisions = new List<DecisionResponse>();
        for (var n = 0; n < 6; n++)
        {
            decisions.Add(await (await BroadcastAsync("acme-cadence", n)).ReadDecisionAsync());
        }

        Assert.DoesNotContain("PG302", RuleIds(decisions[0]));
        Assert.All(decisions.Skip(1), d => Assert.Contains("PG302", RuleIds(d)));
        // Three posts are within both the daily limit (4) and the per-channel limit (3) of the default policy.
        Assert.All(decisions.Take(3), d => Assert.DoesNotContain("PG301", RuleIds(d)));
        Assert.All(decisions.Skip(4), d => Assert.Contains("PG301", RuleIds(d)));
        Assert.Contains("6 posts in 24 hours", decisions[5].Findings.Single(f => f.RuleId == "PG301").Evidence);
    }

    [Fact]
    public async Task Check_Preview_DoesNotAddToTimeline()
    {
        for (var n = 0; n < 5; n++)
        {
            await (await BroadcastAsync("acme-preview", n)).ReadDecisionAsync();
        }

        var first = await (await BroadcastAsync("acme-preview", 5, "?mode=preview")).ReadDecisionAsync();
        var second = await (await BroadcastAsync("acme-preview", 6, "?mode=preview")).ReadDecisionAsync();
        var page = await (await _client.GetAsync("/api/decisions?accountId=acme-preview")).ReadPageAsync();

        Assert.False(first.Logged);
        Assert.Contains("6 posts in 24 hours", first.Findings.Single(f => f.RuleId == "PG301").Evidence);

        // Had the first preview been logged, the second would count seven and sit 30 minutes from it.
        Assert.Contains("6 posts in 24 hours", second.Findings.Single(f => f.RuleId == "PG301").Evidence);
        Assert.Contains("60 minutes apart", second.Findings.SingleOrDefault(f => f.RuleId == "PG302")?.Evidence ?? ["60 minutes apart"]);
        Assert.Equal(5, page.Items.Count);
        Assert.DoesNotContain(page.Items, d => d.DraftId is "broadcast-5" or "broadcast-6");
    }

    [Fact]
    public async Task Check_RepliesBetweenBroadcasts_DoNotCountTowardsVolume()
    {
        for (var n = 0; n < 8; n++)
        {
            await (await _client.CheckAsync(new
            {
                accountId = "acme-replies",
                channel = "x",
                text = $"Thanks for asking, customer {n}. The fix went out this morning.",
                scheduledAt = Morning.AddMinutes(10 * n),
                inReplyTo = $"m-{n}",
            })).ReadDecisionAsync();
        }

        var broadcast = await (await BroadcastAsync("acme-replies", 4)).ReadDecisionAsync();

        Assert.DoesNotContain("PG301", RuleIds(broadcast));
        Assert.DoesNotContain("PG302", RuleIds(broadcast));
    }
}
