using System.Net.Http.Json;
using Azure.Data.Tables;
using PostGate.Functions.Contracts;
using PostGate.Functions.Endpoints;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>Requests and reads shared by the idempotency, chain and outage tests.</summary>
internal static class ChainHttp
{
    /// <summary>A check with an Idempotency-Key header; the body is sent byte for byte as given.</summary>
    public static Task<HttpResponseMessage> CheckWithKeyAsync(this HttpClient client, string body, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TestHttp.CheckPath) { Content = TestHttp.Json(body) };
        Assert.True(request.Headers.TryAddWithoutValidation(CheckEndpoints.IdempotencyHeader, idempotencyKey));
        return client.SendAsync(request);
    }

    /// <summary>Whether the answer is an earlier decision replayed.</summary>
    public static bool IsReplayed(this HttpResponseMessage response) =>
        response.Headers.TryGetValues(CheckEndpoints.ReplayedHeader, out var values) && values.SequenceEqual(["true"]);

    public static async Task<ChainReport> VerifyAsync(this HttpClient client, string accountId)
    {
        var response = await client.GetAsync($"/api/decisions/{Uri.EscapeDataString(accountId)}/verify");
        await TestHttp.AssertStatusAsync(response, System.Net.HttpStatusCode.OK);
        var report = await response.Content.ReadFromJsonAsync<ChainReport>(TestHttp.Web);
        Assert.NotNull(report);
        return report;
    }

    /// <summary>Every decision of the account, following continuation tokens.</summary>
    public static async Task<List<DecisionResponse>> ListAllAsync(this HttpClient client, string accountId)
    {
        var all = new List<DecisionResponse>();
        string? token = null;
        do
        {
            var query = $"/api/decisions?accountId={Uri.EscapeDataString(accountId)}&pageSize={Contracts.DecisionQuery.MaxPageSize}"
                + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await client.GetAsync(query)).ReadPageAsync();
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);

        return all;
    }

    /// <summary>The test class's table, read and written behind the gate's back.</summary>
    public static TableClient Table(this AzuriteFixture azurite, Type testClass) =>
        new(azurite.ConnectionString, azurite.TableFor(testClass));

    /// <summary>The account's rows whose keys start with <paramref name="prefix"/> (see <see cref="Keys"/>).</summary>
    public static async Task<List<TableEntity>> RowsAsync(this TableClient table, string accountId, string prefix)
    {
        var partition = Keys.Partition(accountId);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix + "~"}")))
        {
            rows.Add(row);
        }

        return rows;
    }
}
