using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using PostGate.Functions.Problems;
using Xunit;

namespace PostGate.Functions.Tests.Auth;

/// <summary>
/// Every mapped route against every kind of caller. A route added without a row here fails
/// <see cref="Table_CoversEveryMappedRoute"/>; a row whose route lost its authorization fails the anonymous column.
/// </summary>
public sealed class AccessMatrixTests : IClassFixture<AccessFixture>
{
    private const int Ok = 200;
    private const int Created = 201;
    private const int Unauthorized = 401;
    private const int Forbidden = 403;

    /// <summary>The callers, in the order of the columns below.</summary>
    private static readonly Caller[] Columns =
    [
        Callers.Anonymous,
        Callers.BadKey,
        Callers.AcmeMarketer,
        Callers.GlobexMarketer,
        Callers.AllAccountsMarketer,
        Callers.Compliance,
        Callers.PrincipalMarketer,
        Callers.PrincipalCompliance,
        Callers.PrincipalWithoutRole,
        Callers.ForgedPrincipal,
    ];

    /// <summary>
    /// Endpoint name → a request for account acme, and the status each column gets.
    /// Columns: anonymous, bad key, marketer of acme, marketer of globex, marketer of every account, compliance,
    /// App Service marketer of acme, App Service compliance, App Service without a role, forged principal.
    /// </summary>
    private static readonly Dictionary<string, (Func<HttpRequestMessage> Request, int[] Expected)> Table = new(StringComparer.Ordinal)
    {
        ["CheckPost"] = (
            () => new(HttpMethod.Post, TestHttp.CheckPath) { Content = TestHttp.Json(TestHttp.ExamplePost) },
            // Compliance reviews decisions but does not check posts.
            [Unauthorized, Unauthorized, Ok, Forbidden, Ok, Forbidden, Ok, Forbidden, Forbidden, Unauthorized]),
        ["ListDecisions"] = (
            () => new(HttpMethod.Get, "/api/decisions?accountId=acme"),
            [Unauthorized, Unauthorized, Ok, Forbidden, Ok, Ok, Ok, Ok, Forbidden, Unauthorized]),
        ["GetDecision"] = (
            () => new(HttpMethod.Get, $"/api/decisions/acme/{AccessFixture.DecisionId}"),
            [Unauthorized, Unauthorized, Ok, Forbidden, Ok, Ok, Ok, Ok, Forbidden, Unauthorized]),
        ["VerifyChain"] = (
            () => new(HttpMethod.Get, "/api/decisions/acme/verify"),
            // Compliance only, even for the account's own marketer.
            [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok, Forbidden, Unauthorized]),
        ["AddReview"] = (
            () => new(HttpMethod.Post, $"/api/decisions/acme/{AccessFixture.DecisionId}/reviews") { Content = TestHttp.Json("""{"action":"comment","reason":"Fine as it is."}""") },
            // Compliance only: a marketer never reviews, not even their own account's decisions.
            [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Created, Forbidden, Created, Forbidden, Unauthorized]),
        ["DecisionStats"] = (
            () => new(HttpMethod.Get, "/api/decisions/stats"),
            // The dashboard spans every account: compliance only.
            [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok, Forbidden, Unauthorized]),
        ["AccountTimeline"] = (
            () => new(HttpMethod.Get, "/api/decisions/acme/timeline"),
            [Unauthorized, Unauthorized, Ok, Forbidden, Ok, Ok, Ok, Ok, Forbidden, Unauthorized]),
        ["WhoAmI"] = (
            () => new(HttpMethod.Get, "/api/me"),
            // Anyone may ask who they are; the answer says whether the credentials were accepted.
            [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ["Console"] = (
            () => new(HttpMethod.Get, "/api/console/"),
            // The page is public; everything it shows is read with the signed-in user's credentials.
            [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ["GetPolicy"] = (
            () => new(HttpMethod.Get, "/api/policy"),
            [Unauthorized, Unauthorized, Ok, Ok, Ok, Ok, Ok, Ok, Forbidden, Unauthorized]),
        ["Health"] = (
            () => new(HttpMethod.Get, "/api/health"),
            [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ["OpenApi"] = (
            () => new(HttpMethod.Get, "/api/openapi.json"),
            [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
    };

    private readonly AccessFixture _fixture;

    public AccessMatrixTests(AccessFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    public static TheoryData<string, string> Cells()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in Table.Keys.Order(StringComparer.Ordinal))
        {
            foreach (var caller in Columns)
            {
                data.Add(endpoint, caller.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Route_AnswersCallerAsTheTableSays(string endpoint, string callerName)
    {
        var caller = Callers.ByName[callerName];
        var (request, expected) = Table[endpoint];
        var status = expected[Array.IndexOf(Columns, caller)];

        using var message = request();
        var response = await _fixture.For(caller).CreateClient(caller).SendAsync(message);

        switch (status)
        {
            case Unauthorized:
                await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
                Assert.Equal("ApiKey", response.Headers.WwwAuthenticate.ToString());
                break;
            case Forbidden:
                await response.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
                break;
            default:
                await TestHttp.AssertStatusAsync(response, (HttpStatusCode)status);
                break;
        }
    }

    [Fact]
    public void Table_CoversEveryMappedRoute()
    {
        var mapped = MappedEndpoints().Select(e => Name(e)).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(Table.Keys.Order(StringComparer.Ordinal).ToArray(), mapped);
    }

    [Fact]
    public void EveryMappedRoute_DeclaresWhoMayCallIt()
    {
        Assert.All(MappedEndpoints(), e => Assert.True(
            e.Metadata.GetMetadata<IAllowAnonymous>() is not null || e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0,
            $"{Name(e)} neither requires authorization nor allows anonymous callers."));
    }

    public static TheoryData<string, string> ForeignReads => new()
    {
        // Listing across accounts is for compliance, even for a marketer of every account.
        { "/api/decisions", Callers.AcmeMarketer.Name },
        { "/api/decisions", Callers.AllAccountsMarketer.Name },
        { "/api/decisions", Callers.PrincipalMarketer.Name },
        { "/api/decisions?accountId=globex", Callers.AcmeMarketer.Name },
        { "/api/decisions?accountId=globex", Callers.PrincipalMarketer.Name },
        // Account ids compare exactly: no case folding, no prefix match.
        { "/api/decisions?accountId=ACME", Callers.AcmeMarketer.Name },
        { "/api/decisions?accountId=acm", Callers.AcmeMarketer.Name },
        { $"/api/decisions/globex/{AccessFixture.DecisionId}", Callers.AcmeMarketer.Name },
        { $"/api/decisions/globex/{AccessFixture.DecisionId}", Callers.PrincipalMarketer.Name },
        { "/api/decisions/globex/timeline", Callers.AcmeMarketer.Name },
        { "/api/decisions/globex/timeline", Callers.PrincipalMarketer.Name },
    };

    [Theory]
    [MemberData(nameof(ForeignReads))]
    public async Task Read_ForeignAccount_Returns403WithoutReadingTheLog(string path, string callerName)
    {
        var caller = Callers.ByName[callerName];
        var app = _fixture.For(caller);

        var response = await app.CreateClient(caller).GetAsync(path);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.DoesNotContain(app.Log.ReceivedCalls(), c => c.GetMethodInfo().Name is "ListAsync" or "GetAsync" or "ReadTimelineAsync" or "UseTimelineAsync");
    }

    [Fact]
    public async Task List_AcrossAccounts_AdmitsCompliance()
    {
        var response = await _fixture.Keyed.CreateClient(Callers.Compliance).GetAsync("/api/decisions");

        await TestHttp.AssertStatusAsync(response, HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("acme-eu")]
    [InlineData("globex")]
    public async Task Check_ForAccount_FollowsTheKeysAccounts(string accountId)
    {
        var body = TestHttp.ExamplePost.Replace("\"acme\"", $"\"{accountId}\"", StringComparison.Ordinal);

        var acme = await _fixture.Keyed.CreateClient(Callers.AcmeMarketer).CheckAsync(body);
        var agency = await _fixture.Keyed.CreateClient(Callers.AllAccountsMarketer).CheckAsync(body);

        Assert.Equal(accountId == "acme-eu" ? HttpStatusCode.OK : HttpStatusCode.Forbidden, acme.StatusCode);
        Assert.Equal(HttpStatusCode.OK, agency.StatusCode);
    }

    [Fact]
    public async Task Check_ForeignAccount_Returns403BeforeTouchingTheLog()
    {
        var body = TestHttp.ExamplePost.Replace("\"acme\"", "\"globex\"", StringComparison.Ordinal);

        var response = await _fixture.Keyed.CreateClient(Callers.AcmeMarketer).CheckAsync(body);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        Assert.Empty(_fixture.Keyed.Log.ReceivedCalls());
    }

    [Fact]
    public async Task Check_InvalidBodyFromForeignMarketer_IsStill400()
    {
        // NOTE: the account is in the body, so the body is read before the account can be checked.
        var response = await _fixture.Keyed.CreateClient(Callers.GlobexMarketer).CheckAsync("""{"accountId":"acme","channel":"myspace","text":"hi"}""");

        await response.AssertInvalidAsync("/channel");
    }

    public static TheoryData<string, string, string> UnmappedMethods()
    {
        var data = new TheoryData<string, string, string>();
        (string Path, string[] Methods)[] routes =
        [
            (TestHttp.CheckPath, ["GET", "PUT", "PATCH", "DELETE"]),
            ("/api/decisions", ["POST", "PUT", "PATCH", "DELETE"]),
            ($"/api/decisions/acme/{AccessFixture.DecisionId}", ["POST", "PUT", "PATCH", "DELETE"]),
            ("/api/decisions/acme/verify", ["POST", "PUT", "PATCH", "DELETE"]),
            ($"/api/decisions/acme/{AccessFixture.DecisionId}/reviews", ["GET", "PUT", "PATCH", "DELETE"]),
            // Reviews are appended, never listed, edited or deleted on their own: a decision's GET shows its history.
            ("/api/policy", ["POST", "PUT", "PATCH", "DELETE"]),
            ("/api/health", ["POST", "DELETE"]),
            ("/api/openapi.json", ["POST", "PUT"]),
        ];
        foreach (var (path, methods) in routes)
        {
            foreach (var method in methods)
            {
                data.Add(method, path, Callers.Anonymous.Name);
                data.Add(method, path, Callers.Compliance.Name);
            }
        }

        return data;
    }

    /// <summary>Nobody edits or deletes through the API: there are no such routes, and asking gets a 405 problem.</summary>
    [Theory]
    [MemberData(nameof(UnmappedMethods))]
    public async Task UnmappedMethod_Returns405Problem(string method, string path, string callerName)
    {
        var caller = Callers.ByName[callerName];
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = TestHttp.Json("{}") };

        var response = await _fixture.Keyed.CreateClient(caller).SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, ProblemTypes.MethodNotAllowed);
        Assert.NotEmpty(response.Content.Headers.Allow);
        Assert.Empty(_fixture.Keyed.Log.ReceivedCalls());
    }

    [Theory]
    [InlineData("/api/nope")]
    [InlineData("/api/decisions/acme/d-1/reviews/1")]
    [InlineData("/api")]
    public async Task UnknownRoute_Returns404ProblemForEveryone(string path)
    {
        foreach (var caller in new[] { Callers.Anonymous, Callers.Compliance })
        {
            var response = await _fixture.Keyed.CreateClient(caller).DeleteAsync(path);

            await response.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        }
    }

    private IEnumerable<RouteEndpoint> MappedEndpoints() =>
        _fixture.Keyed.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true);

    private static string Name(Endpoint endpoint) => endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName ?? "?";
}
