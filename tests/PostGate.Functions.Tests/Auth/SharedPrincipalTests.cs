using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using PostGate.Functions.Auth;
using Xunit;

namespace PostGate.Functions.Tests.Auth;

/// <summary>A key's principal is made once and shared by its requests, so it must not be changeable.</summary>
public sealed class SharedPrincipalTests
{
    private static Credentials Keys() => Credentials.Create(
        new AuthOptions
        {
            Keys =
            {
                new ApiKeyOptions { Name = "sam", Role = Roles.Marketer, Accounts = { "acme", "globex" }, Sha256 = Callers.Sha256(Callers.AcmeMarketerKey) },
                new ApiKeyOptions { Name = "kim", Role = Roles.Compliance, Sha256 = Callers.Sha256(Callers.ComplianceKey) },
            },
        },
        new HostingEnvironment { EnvironmentName = "Production" },
        NullLogger.Instance);

    private static async Task<(GateAuthenticationHandler Handler, AuthenticateResult Result)> AuthenticateAsync(Credentials credentials, string header, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = value;
        var handler = new GateAuthenticationHandler(credentials, NullLogger<GateAuthenticationHandler>.Instance);
        await handler.InitializeAsync(new AuthenticationScheme(GateAuthenticationHandler.SchemeName, null, typeof(GateAuthenticationHandler)), context);
        return (handler, await handler.AuthenticateAsync());
    }

    [Fact]
    public void A_key_s_principal_holds_its_name_role_and_accounts()
    {
        var key = Keys().Find(Callers.AcmeMarketerKey)!;

        var principal = key.Principal;

        Assert.True(principal.Identity!.IsAuthenticated);
        Assert.Equal(GateAuthenticationHandler.ApiKeyAuthenticationType, principal.Identity.AuthenticationType);
        Assert.Equal("sam", principal.Identity.Name);
        Assert.True(principal.IsInRole(Roles.Marketer));
        Assert.False(principal.IsInRole(Roles.Compliance));
        Assert.Equal(["acme", "globex"], principal.FindAll(AccountScope.ClaimType).Select(c => c.Value));
        Assert.True(AccountScope.MayCheck(principal, "globex"));
        Assert.False(AccountScope.MayCheck(principal, "initech"));
    }

    [Fact]
    public async Task Requests_with_one_key_share_its_principal_and_other_keys_get_theirs()
    {
        var credentials = Keys();

        var (_, first) = await AuthenticateAsync(credentials, GateAuthenticationHandler.ApiKeyHeader, Callers.AcmeMarketerKey);
        var (_, second) = await AuthenticateAsync(credentials, "Authorization", "ApiKey " + Callers.AcmeMarketerKey);
        var (_, other) = await AuthenticateAsync(credentials, GateAuthenticationHandler.ApiKeyHeader, Callers.ComplianceKey);

        Assert.True(first.Succeeded && second.Succeeded && other.Succeeded);
        Assert.Same(credentials.Find(Callers.AcmeMarketerKey)!.Principal, first.Principal);
        Assert.Same(first.Principal, second.Principal);
        Assert.Equal("kim", other.Principal!.Identity!.Name);
        Assert.True(other.Principal.IsInRole(Roles.Compliance));
    }

    [Fact]
    public async Task A_request_is_authenticated_once_however_often_it_is_asked()
    {
        var (handler, result) = await AuthenticateAsync(Keys(), GateAuthenticationHandler.ApiKeyHeader, "pgk_not_a_key");

        Assert.Same(result, await handler.AuthenticateAsync());
        Assert.False(result.Succeeded);
        Assert.Equal("The API key is not a configured key.", result.Failure!.Message);
    }

    [Fact]
    public void The_shared_principal_refuses_every_change()
    {
        var principal = Keys().Find(Callers.ComplianceKey)!.Principal;
        var identity = (ClaimsIdentity)principal.Identity!;
        var claim = identity.Claims.First();
        var role = new Claim(ClaimTypes.Role, Roles.Marketer);

        Assert.Throws<InvalidOperationException>(() => principal.AddIdentity(new ClaimsIdentity([role], "x")));
        Assert.Throws<InvalidOperationException>(() => principal.AddIdentities([new ClaimsIdentity([role], "x")]));
        Assert.Throws<InvalidOperationException>(() => identity.AddClaim(role));
        Assert.Throws<InvalidOperationException>(() => identity.AddClaims([role]));
        Assert.Throws<InvalidOperationException>(() => identity.RemoveClaim(claim));
        Assert.Throws<InvalidOperationException>(() => identity.TryRemoveClaim(claim));

        Assert.False(principal.IsInRole(Roles.Marketer));
        Assert.Single(principal.Identities);
        Assert.Contains(claim, identity.Claims);
    }
}
