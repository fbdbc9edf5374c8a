using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace PostGate.Functions.Auth;

/// <summary>
/// The gate's one authentication scheme. It accepts an API key (<c>Authorization: ApiKey &lt;key&gt;</c> or
/// <c>X-Api-Key: &lt;key&gt;</c>) checked against the configured hashes, or, when configuration trusts it, the
/// <c>X-MS-CLIENT-PRINCIPAL</c> header App Service authentication sets. Challenges and refusals are problem details.
/// </summary>
public sealed class GateAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    Credentials credentials)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "PostGate";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string AuthorizationScheme = "ApiKey";

    public const string ApiKeyAuthenticationType = "ApiKey";
    public const string AppServiceAuthenticationType = "AppService";
    public const string OpenAuthenticationType = "Open";

    /// <summary>How the credentials are sent, for problem details and the API description.</summary>
    public const string HowToAuthenticate = "Send an API key as 'Authorization: ApiKey <key>' or 'X-Api-Key: <key>'.";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (credentials.Open)
        {
            return Task.FromResult(Success(OpenIdentity()));
        }

        // NOTE: failure messages are logged by the base class; they name what was wrong, never the key or the header.
        var presented = ReadApiKey(Request.Headers, out var keyError);
        if (keyError is not null)
        {
            return Task.FromResult(AuthenticateResult.Fail(keyError));
        }

        if (presented is not null)
        {
            return Task.FromResult(credentials.Find(presented) is { } key
                ? Success(KeyIdentity(key))
                : AuthenticateResult.Fail("The API key is not a configured key."));
        }

        // NOTE: without trust the header is ignored, not refused: a forged principal is the same as no credentials.
        if (credentials.TrustAppServicePrincipal && Request.Headers.TryGetValue(AppServicePrincipal.Header, out var principal))
        {
            return Task.FromResult(principal.Count == 1 && AppServicePrincipal.Parse(principal[0] ?? string.Empty, AppServiceAuthenticationType) is { } identity
                ? Success(identity)
                : AuthenticateResult.Fail($"The {AppServicePrincipal.Header} header is not a client principal."));
        }

        return Task.FromResult(AuthenticateResult.NoResult());
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted)
        {
            return;
        }

        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = AuthorizationScheme;
        await Problems.Problems.Unauthorized(result.Failure is null
            ? "This request needs credentials. " + HowToAuthenticate
            : "The credentials were not accepted. " + HowToAuthenticate).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted)
        {
            return;
        }

        await Problems.Problems.Forbidden("Your role does not allow this request.").ExecuteAsync(Context);
    }

    /// <summary>
    /// The key from <c>Authorization: ApiKey …</c> or <c>X-Api-Key</c>, null when neither is sent, or an error when
    /// the key is sent more than once or empty. Other Authorization schemes (App Service forwards the bearer token
    /// it checked) are left alone.
    /// </summary>
    internal static string? ReadApiKey(IHeaderDictionary headers, out string? error)
    {
        error = null;
        var keys = new List<string>();
        foreach (var value in headers.Authorization)
        {
            var text = value ?? string.Empty;
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var scheme = space < 0 ? text : text[..space];
            if (scheme.Equals(AuthorizationScheme, StringComparison.OrdinalIgnoreCase))
            {
                keys.Add(space < 0 ? string.Empty : text[(space + 1)..].Trim());
            }
        }

        if (headers.TryGetValue(ApiKeyHeader, out StringValues apiKeys))
        {
            keys.AddRange(apiKeys.Select(k => (k ?? string.Empty).Trim()));
        }

        if (keys.Count == 0)
        {
            return null;
        }

        if (keys.Count > 1)
        {
            error = "The API key was sent more than once; send it in one header.";
            return null;
        }

        if (keys[0].Length == 0)
        {
            error = "The API key is empty.";
            return null;
        }

        return keys[0];
    }

    private AuthenticateResult Success(ClaimsIdentity identity) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));

    private static ClaimsIdentity KeyIdentity(Credentials.ApiKey key)
    {
        var identity = new ClaimsIdentity(ApiKeyAuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, key.Name));
        identity.AddClaim(new Claim(ClaimTypes.Role, key.Role));
        identity.AddClaims(key.Accounts.Select(a => new Claim(AccountScope.ClaimType, a)));
        return identity;
    }

    private static ClaimsIdentity OpenIdentity()
    {
        var identity = new ClaimsIdentity(OpenAuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, "open-mode"));
        identity.AddClaims(Roles.All.Select(r => new Claim(ClaimTypes.Role, r)));
        identity.AddClaim(new Claim(AccountScope.ClaimType, AccountScope.Everything));
        return identity;
    }
}
