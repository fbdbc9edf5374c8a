using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PostGate.Functions.Contracts;
using Xunit;

namespace PostGate.Functions.Tests;

/// <summary>Requests and response assertions shared by the endpoint and Azurite tests.</summary>
internal static class TestHttp
{
    public const string CheckPath = "/api/posts/check";

    /// <summary>The example post from the README: hard sell, shouting, a shortener.</summary>
    public const string ExamplePost =
        """{"accountId":"acme","channel":"x","text":"BUY NOW!!! 50% off, limited time only: bit.ly/deal","scheduledAt":"2026-12-01T09:00:00Z","draftId":"d-1","author":"sam"}""";

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> CheckAsync(this HttpClient client, string body, string query = "") =>
        client.PostAsync(CheckPath + query, Json(body));

    /// <summary>A check body built from an object, so hostile strings are escaped by the serializer.</summary>
    public static Task<HttpResponseMessage> CheckAsync(this HttpClient client, object body, string query = "") =>
        client.PostAsync(CheckPath + query, JsonContent.Create(body, options: Web));

    public static async Task<DecisionResponse> ReadDecisionAsync(this HttpResponseMessage response)
    {
        await AssertStatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var decision = await response.Content.ReadFromJsonAsync<DecisionResponse>(Web);
        Assert.NotNull(decision);
        return decision;
    }

    public static async Task<DecisionPageResponse> ReadPageAsync(this HttpResponseMessage response)
    {
        await AssertStatusAsync(response, HttpStatusCode.OK);
        var page = await response.Content.ReadFromJsonAsync<DecisionPageResponse>(Web);
        Assert.NotNull(page);
        return page;
    }

    /// <summary>Asserts a problem response (status, RFC 9457 media type, stable type URI) and returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string type)
    {
        await AssertStatusAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var problem = document.RootElement.Clone();
        Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 invalid-request problem whose error keys are exactly <paramref name="keys"/>.</summary>
    public static async Task AssertInvalidAsync(this HttpResponseMessage response, params string[] keys)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, Problems.ProblemTypes.InvalidRequest);
        var actual = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(keys.Order(StringComparer.Ordinal).ToArray(), actual);
        foreach (var error in problem.GetProperty("errors").EnumerateObject())
        {
            Assert.Contains(error.Value.EnumerateArray(), e => !string.IsNullOrWhiteSpace(e.GetString()));
        }
    }

    /// <summary>503 storage-unavailable with a Retry-After, and never a verdict.</summary>
    public static async Task AssertStorageUnavailableAsync(this HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, Problems.ProblemTypes.StorageUnavailable);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After was '{response.Headers.RetryAfter}'.");
        Assert.False(problem.TryGetProperty("verdict", out _));
        Assert.False(problem.TryGetProperty("findings", out _));
    }

    public static async Task AssertStatusAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            Assert.Fail($"Expected {(int)status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
