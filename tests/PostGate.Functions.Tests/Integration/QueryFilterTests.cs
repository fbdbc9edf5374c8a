using System.Net;
using PostGate.Functions.Contracts;
using Xunit;

namespace PostGate.Functions.Tests.Integration;

/// <summary>
/// Filters reach Table Storage only through TableClient.CreateQueryFilter: OData-injection attempts in any filter
/// value find nothing, and never another account's decisions.
/// </summary>
[Collection(UsesAzurite.Name)]
public sealed class QueryFilterTests : IDisposable
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly GateApp _app;
    private readonly HttpClient _client;

    public QueryFilterTests(AzuriteFixture azurite)
    {
        _app = azurite.App(azurite.TableFor(typeof(QueryFilterTests)));
        _client = _app.CreateClient();
    }

    public void Dispose() => _app.Dispose();

    public static TheoryData<string> Injections => new()
    {
        "sam' or PartitionKey ne 'x",
        "sam' or true or 'a' eq 'a",
        "x') or (PartitionKey ne '",
        "sam'' or ''1'' eq ''1",
        "' or RowKey gt '",
    };

    private async Task SeedAsync()
    {
        foreach (var (account, author) in new[] { ("filters-a", "sam"), ("filters-a", "kim"), ("filters-b", "sam") })
        {
            var response = await _client.CheckAsync(new
            {
                accountId = account,
                channel = "linkedin",
                text = $"Soup of the day from {author}: lentils and lemon.",
                author,
                scheduledAt = Morning,
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private async Task<DecisionPageResponse> ListAsync(string query)
    {
        var response = await _client.GetAsync("/api/decisions?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadPageAsync();
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task List_InjectionInAuthor_FindsNothing(string value)
    {
        await SeedAsync();

        var page = await ListAsync("accountId=filters-a&author=" + Uri.EscapeDataString(value));

        Assert.Empty(page.Items);
    }

    [Theory]
    [MemberData(nameof(Injections))]
    public async Task List_InjectionInAccountId_NeverReachesOtherAccounts(string value)
    {
        await SeedAsync();

        var page = await ListAsync("accountId=" + Uri.EscapeDataString(value));

        Assert.DoesNotContain(page.Items, d => d.AccountId is "filters-a" or "filters-b");
    }

    [Fact]
    public async Task List_ExactFilters_ReturnExactlyWhatWasAskedFor()
    {
        await SeedAsync();

        var sam = await ListAsync("accountId=filters-a&author=sam");
        var all = await ListAsync("accountId=filters-a");

        Assert.All(sam.Items, d => Assert.Equal(("filters-a", "sam"), (d.AccountId, d.Draft.Author)));
        Assert.NotEmpty(sam.Items);
        Assert.All(all.Items, d => Assert.Equal("filters-a", d.AccountId));
        Assert.Contains(all.Items, d => d.Draft.Author == "kim");
    }
}
