using Azure.Data.Tables;
using PostGate.Functions.Contracts;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>Each account's decisions form one hash chain: verify finds it whole, finds an edited row, and survives contention.</summary>
[Collection(UsesAzurite.Name)]
public sealed class ChainTests : IDisposable
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly AzuriteFixture _azurite;
    private readonly GateApp _app;
    private readonly HttpClient _client;

    public ChainTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _app = azurite.App(azurite.TableFor(typeof(ChainTests)));
        _client = _app.CreateClient();
    }

    public void Dispose() => _app.Dispose();

    private Task<HttpResponseMessage> CheckAsync(string accountId, int n) =>
        _client.CheckAsync(new
        {
            accountId,
            channel = "linkedin",
            text = $"Winter menu note {n}: the soup is back, and so is the bread.",
            scheduledAt = Morning.AddHours(n),
        });

    private async Task<List<DecisionResponse>> CheckInTurnAsync(string accountId, int count)
    {
        var decisions = new List<DecisionResponse>();
        for (var n = 0; n < count; n++)
        {
            decisions.Add(await (await CheckAsync(accountId, n)).ReadDecisionAsync());
        }

        return decisions;
    }

    private Task<List<TableEntity>> DecisionRowsAsync(string accountId) =>
        _azurite.Table(typeof(ChainTests)).RowsAsync(accountId, Keys.DecisionPrefix);

    [Fact]
    public async Task Verify_AccountWithoutDecisions_IsIntact()
    {
        var report = await _client.VerifyAsync("chain-empty");

        Assert.True(report.Intact);
        Assert.Equal(0, report.Decisions);
        Assert.Null(report.FirstBreak);
    }

    [Fact]
    public async Task Verify_AfterFiveChecks_IsIntactWithFiveDecisions()
    {
        await CheckInTurnAsync("chain-intact", 5);

        var report = await _client.VerifyAsync("chain-intact");

        Assert.True(report.Intact);
        Assert.Equal(5, report.Decisions);
        Assert.Null(report.FirstBreak);
        var rows = await DecisionRowsAsync("chain-intact");
        Assert.Equal(rows.Single(r => r.GetInt64("Sequence") == 5).GetString("Hash"), report.HeadHash);
    }

    [Fact]
    public async Task Verify_StoredTextEditedBehindTheGate_ReportsThatRowAsFirstBreak()
    {
        var decisions = await CheckInTurnAsync("chain-edited", 4);
        var table = _azurite.Table(typeof(ChainTests));
        var row = (await DecisionRowsAsync("chain-edited")).Single(r => r.GetString("DecisionId") == decisions[1].DecisionId);
        row["Text"] = "Winter menu note 1: the soup is back, and so is the bread. Buy now!";
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        var report = await _client.VerifyAsync("chain-edited");

        Assert.False(report.Intact);
        var broken = Assert.IsType<ChainBreak>(report.FirstBreak);
        Assert.Equal(row.GetInt64("Sequence"), broken.Sequence);
        Assert.Equal(2, broken.Sequence);
        Assert.Equal(decisions[1].DecisionId, broken.DecisionId);
        Assert.Contains("content", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DecisionRowDeletedBehindTheGate_ReportsTheGap()
    {
        var decisions = await CheckInTurnAsync("chain-deleted", 3);
        var table = _azurite.Table(typeof(ChainTests));
        var rows = await DecisionRowsAsync("chain-deleted");
        var middle = rows.Single(r => r.GetString("DecisionId") == decisions[1].DecisionId);
        await table.DeleteEntityAsync(middle.PartitionKey, middle.RowKey);

        var report = await _client.VerifyAsync("chain-deleted");

        Assert.False(report.Intact);
        Assert.Equal(2, report.FirstBreak?.Sequence);
        Assert.Equal(decisions[2].DecisionId, report.FirstBreak?.DecisionId);
    }

    [Fact]
    public async Task Check_TwentyInParallel_AllLoggedInOneUnbrokenChain()
    {
        const int Count = 20;

        var responses = await Task.WhenAll(Enumerable.Range(0, Count).Select(n => CheckAsync("chain-parallel", n)));

        var decisions = new List<DecisionResponse>();
        foreach (var response in responses)
        {
            decisions.Add(await response.ReadDecisionAsync());
        }

        var report = await _client.VerifyAsync("chain-parallel");
        Assert.True(report.Intact, $"Broken at {report.FirstBreak}");
        Assert.Equal(Count, report.Decisions);

        var rows = await DecisionRowsAsync("chain-parallel");
        Assert.Equal(Enumerable.Range(1, Count).Select(n => (long)n), rows.Select(r => r.GetInt64("Sequence") ?? 0).Order());
        Assert.Equal(
            decisions.Select(d => d.DecisionId).Order(StringComparer.Ordinal),
            rows.Select(r => r.GetString("DecisionId")).Order(StringComparer.Ordinal));
    }
}
