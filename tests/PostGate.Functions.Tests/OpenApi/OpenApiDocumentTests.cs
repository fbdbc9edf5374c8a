using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PostGate.Functions.Contracts;
using PostGate.Functions.OpenApi;
using Xunit;

namespace PostGate.Functions.Tests.OpenApi;

/// <summary>The document at /api/openapi.json describes exactly the routes the app maps, and its examples are real.</summary>
public sealed class OpenApiDocumentTests : IClassFixture<GateApp>
{
    private static readonly string[] ProblemStatuses = ["400", "401", "403", "404", "409", "415", "422", "503"];

    private readonly GateApp _app;

    public OpenApiDocumentTests(GateApp app)
    {
        _app = app;
        _app.Reset();
    }

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await _app.CreateClient().GetAsync(GateOpenApi.Route);
        await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (op.Name.ToUpperInvariant(), path.Name, op.Value)));

    [Fact]
    public async Task Document_ListsExactlyTheMappedRoutesAndMethods()
    {
        var document = await DocumentAsync();

        var mapped = _app.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            // The document does not describe itself.
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName != GateOpenApi.EndpointName)
            // An OpenAPI path names a catch-all parameter without its '*'.
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                .Select(m => $"{m} {e.RoutePattern.RawText!.Replace("{*", "{", StringComparison.Ordinal)}"))
            .Order(StringComparer.Ordinal);
        var described = Operations(document).Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal);

        Assert.Equal(mapped, described);
    }

    [Fact]
    public async Task EveryOperation_HasIdSummaryAndProblemResponses()
    {
        var document = await DocumentAsync();

        Assert.All(Operations(document), o =>
        {
            var (method, path, operation) = o;
            var name = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), name);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), name);
            var responses = operation.GetProperty("responses");
            // NOTE: one success: 200, or 201 where a record is appended (a review).
            Assert.Single(responses.EnumerateObject(), r => r.Name is "200" or "201");
            foreach (var response in responses.EnumerateObject().Where(r => r.Name is not ("200" or "201")))
            {
                Assert.Contains(response.Name, ProblemStatuses);
                Assert.False(string.IsNullOrWhiteSpace(response.Value.GetProperty("description").GetString()), $"{name} {response.Name}");
                var content = Assert.Single(response.Value.GetProperty("content").EnumerateObject());
                Assert.Equal("application/problem+json", content.Name);
            }

            // A protected operation says how to authenticate and documents both refusals.
            var secured = operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0;
            Assert.Equal(secured, responses.TryGetProperty("401", out _));
            Assert.Equal(secured, responses.TryGetProperty("403", out _));
        });
    }

    public static TheoryData<string, string[]> ExpectedResponses => new()
    {
        { "POST /api/posts/check", ["200", "400", "401", "403", "415", "422", "503"] },
        { "GET /api/decisions", ["200", "400", "401", "403", "503"] },
        { "GET /api/decisions/{accountId}/{decisionId}", ["200", "401", "403", "404", "503"] },
        { "GET /api/decisions/{accountId}/verify", ["200", "401", "403", "503"] },
        { "POST /api/decisions/{accountId}/{decisionId}/reviews", ["201", "400", "401", "403", "404", "409", "415", "503"] },
        { "POST /api/decisions/{accountId}/{decisionId}/reviews", ["201", "400", "401", "403", "404", "409", "415", "503"] },
        { "GET /api/decisions/stats", ["200", "400", "401", "403", "503"] },
        { "GET /api/decisions/{accountId}/timeline", ["200", "400", "401", "403", "503"] },
        { "GET /api/me", ["200"] },
        { "GET /api/console/{path}", ["200", "404"] },
        { "GET /api/policy", ["200", "401", "403"] },
        { "GET /api/health", ["200"] },
    };

    [Theory]
    [MemberData(nameof(ExpectedResponses))]
    public async Task Operation_DocumentsItsResponses(string operationName, string[] statuses)
    {
        var document = await DocumentAsync();

        var operation = Assert.Single(Operations(document), o => $"{o.Method} {o.Path}" == operationName).Operation;

        Assert.Equal(statuses, operation.GetProperty("responses").EnumerateObject().Select(r => r.Name));
    }

    [Fact]
    public async Task Document_DeclaresTheSecuritySchemes()
    {
        var document = await DocumentAsync();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        var apiKey = schemes.GetProperty("ApiKey");
        Assert.Equal("apiKey", apiKey.GetProperty("type").GetString());
        Assert.Equal("header", apiKey.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", apiKey.GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("AppServiceAuthentication").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task CheckRequestSchema_HasExactlyTheFieldsTheParserKnows()
    {
        var document = await DocumentAsync();

        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(nameof(CheckRequestBody));
        var documented = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);

        // NOTE: the parser's list of known fields is private; reading it keeps a new field from going undocumented.
        var known = (string[])typeof(CheckRequest).GetField("Known", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(known.Order(StringComparer.Ordinal), documented);
        Assert.Equal(["accountId", "channel", "text"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListParameters_AreExactlyTheFiltersTheParserKnows()
    {
        var document = await DocumentAsync();

        var operation = document.GetProperty("paths").GetProperty("/api/decisions").GetProperty("get");
        var documented = operation.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query")
            .Select(p => p.GetProperty("name").GetString())
            .Order(StringComparer.Ordinal);

        var known = (string[])typeof(DecisionQuery).GetField("Known", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(known.Order(StringComparer.Ordinal), documented);
        Assert.True(operation.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/csv", out _));
    }

    [Fact]
    public async Task CheckExamples_AreWhatTheGateAnswers()
    {
        var document = await DocumentAsync();
        var operation = document.GetProperty("paths").GetProperty("/api/posts/check").GetProperty("post");
        var requests = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples");
        var answers = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("examples");

        Assert.NotEmpty(requests.EnumerateObject());
        foreach (var example in requests.EnumerateObject())
        {
            var response = await _app.CreateClient().CheckAsync(example.Value.GetProperty("value").GetRawText());

            await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
            var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            var expected = JsonNode.Parse(answers.GetProperty(example.Name).GetProperty("value").GetRawText())!.AsObject();

            // The decision id is new on every check; everything else is the same answer.
            actual.Remove("decisionId");
            expected.Remove("decisionId");
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{example.Name}:\n{expected}\n---\n{actual}");
        }
    }

    [Fact]
    public async Task CheckInvalidExample_IsAValidationProblem()
    {
        var document = await DocumentAsync();

        var example = document.GetProperty("paths").GetProperty("/api/posts/check").GetProperty("post")
            .GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/problem+json")
            .GetProperty("examples").EnumerateObject().Single().Value.GetProperty("value");

        Assert.Equal(Problems.ProblemTypes.InvalidRequest, example.GetProperty("type").GetString());
        Assert.Equal(400, example.GetProperty("status").GetInt32());
        Assert.All(example.GetProperty("errors").EnumerateObject(), e => Assert.StartsWith("/", e.Name, StringComparison.Ordinal));
    }
}
