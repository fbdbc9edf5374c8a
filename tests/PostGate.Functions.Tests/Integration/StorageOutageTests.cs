using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>When the log cannot be reached the gate answers 503 and decides nothing, rather than a verdict nobody recorded.</summary>
[Collection(UsesAzurite.Name)]
public sealed class StorageOutageTests : IDisposable
{
    private const string Post =
        """{"accountId":"acme-outage","channel":"x","text":"Our winter menu is out: the soup is back.","scheduledAt":"2026-12-01T09:00:00Z","draftId":"outage-1"}""";

    private readonly AzuriteFixture _azurite;
    private readonly GateApp _app;
    private readonly HttpClient _client;

    public StorageOutageTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _app = azurite.App(azurite.TableFor(typeof(StorageOutageTests)));
        _client = _app.CreateClient();
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Check_StorageStopped_Returns503AndLogsNothing()
    {
        // The table exists and the client is warm, so the outage is the only thing that changes.
        await (await _client.GetAsync("/api/decisions?accountId=acme-outage")).ReadPageAsync();

        await _azurite.StopAsync();
        try
        {
            await (await _client.CheckAsync(Post)).AssertStorageUnavailableAsync();
            await (await _client.CheckAsync(Post, "?mode=preview")).AssertStorageUnavailableAsync();
            await (await _client.GetAsync("/api/decisions?accountId=acme-outage")).AssertStorageUnavailableAsync();
            await (await _client.GetAsync($"/api/decisions/acme-outage/{Keys.NewDecisionId(DateTimeOffset.UtcNow)}")).AssertStorageUnavailableAsync();
            await (await _client.GetAsync("/api/decisions/stats")).AssertStorageUnavailableAsync();
            await (await _client.GetAsync("/api/decisions/stats?accountId=acme-outage")).AssertStorageUnavailableAsync();
            await (await _client.GetAsync("/api/decisions/acme-outage/timeline")).AssertStorageUnavailableAsync();
        }
        finally
        {
            await _azurite.StartAsync();
        }

        var page = await (await _client.GetAsync("/api/decisions?accountId=acme-outage")).ReadPageAsync();
        var preview = await (await _client.CheckAsync(Post, "?mode=preview")).ReadDecisionAsync();

        Assert.Empty(page.Items);
        Assert.DoesNotContain(preview.Findings, f => f.RuleId == "PG302");
    }

    [Fact]
    public async Task Check_StorageStoppedBeforeFirstUse_Returns503()
    {
        using var cold = _azurite.App(_azurite.TableFor(typeof(StorageOutageTests), "Cold"));
        var client = cold.CreateClient();

        await _azurite.StopAsync();
        try
        {
            await (await client.CheckAsync(Post)).AssertStorageUnavailableAsync();
        }
        finally
        {
            await _azurite.StartAsync();
        }

        // The table is created on first use once storage is back.
        await (await client.CheckAsync(Post)).ReadDecisionAsync();
    }
}
