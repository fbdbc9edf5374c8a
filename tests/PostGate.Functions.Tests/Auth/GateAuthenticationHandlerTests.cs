using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using PostGate.Functions.Auth;
using PostGate.Functions.Problems;
using Xunit;

namespace PostGate.Functions.Tests.Auth;

public sealed class GateAuthenticationHandlerTests : IClassFixture<AccessFixture>
{
    private readonly AccessFixture _fixture;

    public GateAuthenticationHandlerTests(AccessFixture fixture)
    {
        _fixture = fixture;
        _fixture.Reset();
    }

    public static TheoryData<string[], string?, bool> ApiKeyHeaders => new()
    {
        // Headers as "Name: value"; the key read, and whether it is an error.
        { [], null, false },
        { ["X-Api-Key: k1"], "k1", false },
        { ["Authorization: ApiKey k1"], "k1", false },
        // The scheme is case-insensitive, as RFC 9110 says; the key is not trimmed inside.
        { ["Authorization: apikey  k1 "], "k1", false },
        // App Service forwards the bearer token it validated: that is not an API key, and not an error.
        { ["Authorization: Bearer eyJ0eXAi"], null, false },
        { ["Authorization: Basic dTpw"], null, false },
        { ["X-Api-Key: "], null, true },
        { ["Authorization: ApiKey"], null, true },
        { ["Authorization: ApiKey "], null, true },
        // Two keys are ambiguous even when they are equal.
        { ["X-Api-Key: k1", "Authorization: ApiKey k1"], null, true },
        { ["X-Api-Key: k1", "X-Api-Key: k2"], null, true },
    };

    [Theory]
    [MemberData(nameof(ApiKeyHeaders))]
    public void ReadApiKey_ReadsOneKeyFromEitherHeader(string[] headers, string? key, bool error)
    {
        var dictionary = new HeaderDictionary();
        foreach (var header in headers.GroupBy(h => h[..h.IndexOf(':', StringComparison.Ordinal)], StringComparer.OrdinalIgnoreCase))
        {
            // NOTE: set, not appended, so an empty value is kept as the server would keep it.
            dictionary[header.Key] = new StringValues([.. header.Select(h => h[(h.IndexOf(':', StringComparison.Ordinal) + 1)..].TrimStart())]);
        }

        var read = GateAuthenticationHandler.ReadApiKey(dictionary, out var problem);

        Assert.Equal(key, read);
        Assert.Equal(error, problem is not null);
    }

    public static TheoryData<string, string[], int> Requests => new()
    {
        // Description, headers, status of GET /api/decisions/acme/verify (compliance only) on the trusting gate.
        { "compliance key", ["X-Api-Key: " + Callers.ComplianceKey], 200 },
        { "key with trailing space", ["X-Api-Key: " + Callers.ComplianceKey + " "], 200 },
        { "key in another case", ["X-Api-Key: " + Callers.ComplianceKey.ToUpperInvariant()], 401 },
        { "bearer token alone", ["Authorization: Bearer eyJ0eXAi"], 401 },
        { "key twice", ["X-Api-Key: " + Callers.ComplianceKey, "Authorization: ApiKey " + Callers.ComplianceKey], 401 },
        // A key and a principal: the key is the caller, here a marketer, whatever the principal says.
        { "marketer key with compliance principal", ["X-Api-Key: " + Callers.AcmeMarketerKey, Header(Callers.PrincipalCompliance)], 403 },
        { "bad key with compliance principal", ["X-Api-Key: nope", Header(Callers.PrincipalCompliance)], 401 },
        { "principal not base64", [AppServicePrincipal.Header + ": not base64!"], 401 },
        { "principal not JSON", [AppServicePrincipal.Header + ": " + Convert.ToBase64String("roles=compliance"u8)], 401 },
        { "principal without claims", [AppServicePrincipal.Header + ": " + Convert.ToBase64String("""{"auth_typ":"aad"}"""u8)], 401 },
        { "principal twice", [Header(Callers.PrincipalCompliance), Header(Callers.PrincipalCompliance)], 401 },
        { "principal with custom role claim type", [Header(Callers.Principal("custom", [("urn:role", Roles.Compliance)], roleType: "urn:role"))], 200 },
        // A role claim is only read from 'roles' or the declared role type.
        { "principal role in an unrelated claim", [Header(Callers.Principal("unrelated", [("groups", Roles.Compliance)]))], 403 },
        // Roles compare exactly.
        { "principal with role in capitals", [Header(Callers.Principal("caps", [("roles", "Compliance")]))], 403 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Authenticate_CredentialVariants(string description, string[] headers, int status)
    {
        Assert.NotEmpty(description);
        var client = _fixture.Trusting.CreateClient();
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            client.DefaultRequestHeaders.TryAddWithoutValidation(header[..colon], header[(colon + 1)..].TrimStart());
        }

        var response = await client.GetAsync("/api/decisions/acme/verify");

        await TestHttp.AssertStatusAsync(response, (HttpStatusCode)status);
    }

    [Theory]
    [InlineData("acme", 200)]
    [InlineData("globex", 200)]
    [InlineData("initech", 403)]
    public async Task PrincipalAccounts_AreCommaSeparated(string accountId, int status)
    {
        var caller = Callers.Principal("two accounts", [("roles", Roles.Marketer), (AccountScope.ClaimType, " globex , acme,")]);

        var response = await _fixture.Trusting.CreateClient(caller).GetAsync($"/api/decisions/{accountId}/{AccessFixture.DecisionId}");

        await TestHttp.AssertStatusAsync(response, (HttpStatusCode)status);
    }

    [Fact]
    public async Task Unauthorized_SaysWhetherCredentialsCameOrNot()
    {
        var none = await _fixture.Keyed.CreateClient().GetAsync("/api/policy");
        var bad = await _fixture.Keyed.CreateClient(Callers.BadKey).GetAsync("/api/policy");

        var noneProblem = await none.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        var badProblem = await bad.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
        Assert.NotEqual(noneProblem.GetProperty("detail").GetString(), badProblem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Refusals_AreLoggedWithTheirReason()
    {
        await _fixture.Keyed.CreateClient(Callers.BadKey).GetAsync("/api/policy");
        await _fixture.Keyed.CreateClient(Callers.AcmeMarketer).GetAsync("/api/decisions/acme/verify");

        var lines = _fixture.Keyed.LogLines.ToList();
        Assert.Contains(lines, l => l.Contains("[4101]", StringComparison.Ordinal) && l.Contains("The API key is not a configured key.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("[4102]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("[4103]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_NeverHoldKeysHashesOrThePrincipal()
    {
        string[] secrets =
        [
            Callers.AcmeMarketerKey, Callers.ComplianceKey, "pgk_test_not_configured",
            Callers.Sha256(Callers.AcmeMarketerKey), Callers.Sha256(Callers.ComplianceKey),
            Callers.PrincipalCompliance.Headers[0].Value, Callers.ForgedPrincipal.Headers[0].Value,
        ];
        foreach (var app in new[] { _fixture.Keyed, _fixture.Trusting })
        {
            foreach (var caller in new[] { Callers.AcmeMarketer, Callers.Compliance, Callers.BadKey, Callers.PrincipalCompliance, Callers.ForgedPrincipal })
            {
                var client = app.CreateClient(caller);
                await client.GetAsync("/api/policy");
                await client.CheckAsync(TestHttp.ExamplePost);
                await client.GetAsync("/api/decisions/acme/verify");
            }

            await app.CreateClient(Callers.Principal("broken", [])).GetAsync("/api/policy");
            var broken = app.CreateClient();
            broken.DefaultRequestHeaders.TryAddWithoutValidation(AppServicePrincipal.Header, "e30K" + Callers.ComplianceKey);
            await broken.GetAsync("/api/policy");
        }

        var lines = _fixture.Keyed.LogLines.Concat(_fixture.Trusting.LogLines).ToList();
        Assert.NotEmpty(lines);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static string Header(Caller caller) => caller.Headers[0].Key + ": " + caller.Headers[0].Value;
}
