using System.Net;
using System.Net.Http.Json;
using PostGate.Functions.Contracts;
using Xunit;

namespace PostGate.Functions.Tests.Endpoints;

public sealed class PolicyEndpointsTests : IClassFixture<GateApp>
{
    private readonly HttpClient _client;

    public PolicyEndpointsTests(GateApp app)
    {
        app.Reset();
        _client = app.CreateClient();
    }

    [Fact]
    public async Task GetPolicy_ReturnsActivePolicyWithEveryRule()
    {
        var response = await _client.GetAsync("/api/policy");

        await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var policy = await response.Content.ReadFromJsonAsync<PolicyResponse>(TestHttp.Web);
        Assert.NotNull(policy);
        Assert.Equal("default", policy.Name);
        Assert.False(string.IsNullOrWhiteSpace(policy.Version));
        Assert.Distinct(policy.Rules.Select(r => r.Id));
        Assert.All(policy.Rules, r =>
        {
            Assert.Matches("^PG[1-4][0-9]{2}$", r.Id);
            Assert.Matches("^[a-z-]+/[a-z-]+$", r.Name);
            Assert.False(string.IsNullOrWhiteSpace(r.Title));
            Assert.Contains(r.Severity, new[] { "off", "coach", "review", "block" });
        });
        Assert.Contains(policy.Rules, r => r.Id == "PG301" && r.Name == "cadence/daily-volume");
        Assert.Contains(policy.Rules, r => r.Id == "PG302" && r.Name == "cadence/spacing");
    }

    [Fact]
    public async Task GetHealth_ReportsOkAndPolicyVersion()
    {
        var policy = await _client.GetFromJsonAsync<PolicyResponse>("/api/policy", TestHttp.Web);

        var response = await _client.GetAsync("/api/health");

        await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
        var health = await response.Content.ReadFromJsonAsync<HealthResponse>(TestHttp.Web);
        Assert.Equal(new HealthResponse("ok", policy!.Version), health);
    }

    [Theory]
    [InlineData("/api/nope")]
    [InlineData("/posts/check")]
    public async Task UnknownRoute_Returns404(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task WrongMethod_Returns405()
    {
        var response = await _client.GetAsync(TestHttp.CheckPath);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
