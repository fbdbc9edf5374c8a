using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Primitives;

namespace PostGate.Functions.Auth;

/// <summary>
/// The gate's one authentication scheme. It accepts an API key (<c>Authorization: ApiKey &lt;key&gt;</c> or
/// <c>X-Api-Key: &lt;key&gt;</c>) checked against the configured hashes, or, when configuration trusts it, the
/// <c>X-MS-CLIENT-PRINCIPAL</c> header App Service authentication sets. Challenges and refusals are problem details.
/// </summary>
/// <remarks>
/// The scheme has no options, so it implements <see cref="IAuthenticationHandler"/> itself rather than deriving from
/// <see cref="AuthenticationHandler{TOptions}"/>, which reads options and makes a logger for every request. A key's
/// principal is made once (<see cref="Credentials.ApiKey.Principal"/>) and shared by its requests.
/// </remarks>
public sealed class GateAuthenticationHandler(Credentials credentials, ILogger<GateAuthenticationHandler> logger) : IAuthenticationHandler
{
    public const string SchemeName = "PostGate";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string AuthorizationScheme = "ApiKey";

    public const string ApiKeyAuthenticationType = "ApiKey";
    public const string AppServiceAuthenticationType = "AppService";
    public const string OpenAuthenticationType = "Open";

    /// <summary>How the credentials are sent, for problem details and the API description.</summary>
    public const string HowToAuthenticate = "Send an API key as 'Authorization: ApiKey <key>' or 'X-Api-Key: <key>'.";

    /// <summary>The caller of an open gate: a marketer and compliance officer for every account.</summary>
    private static readonly SharedPrincipal OpenPrincipal = new(
        [
            new Claim(ClaimTypes.Name, "open-mode"),
            .. Roles.All.Select(r => new Claim(ClaimTypes.Role, r)),
            new Claim(AccountScope.ClaimType, AccountScope.Everything),
        ],
        OpenAuthenticationType);

    private AuthenticationScheme? _scheme;
    private HttpContext? _context;
    private Task<AuthenticateResult>? _result;

    private HttpContext Context => _context ?? throw new InvalidOperationException("The handler was not initialized.");

    private string Scheme => _scheme?.Name ?? SchemeName;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(context);
        _scheme = scheme;
        _context = context;
        _result = null;
        return Task.CompletedTask;
    }

    /// <summary>The request's caller, worked out once per request however often it is asked for.</summary>
    public Task<AuthenticateResult> AuthenticateAsync() => _result ??= Task.FromResult(Authenticate());

    public async Task ChallengeAsync(AuthenticationProperties? properties)
    {
        var context = Context;
        if (context.Response.HasStarted)
        {
            return;
        }

        var result = await AuthenticateAsync();
        Log.AuthChallenged(logger, Scheme);
        context.Response.Headers.WWWAuthenticate = AuthorizationScheme;
        await Problems.Problems.Unauthorized(result.Failure is null
            ? "This request needs credentials. " + HowToAuthenticate
            : "The credentials were not accepted. " + HowToAuthenticate).ExecuteAsync(context);
    }

    public async Task ForbidAsync(AuthenticationProperties? properties)
    {
        var context = Context;
        if (context.Response.HasStarted)
        {
            return;
        }

        Log.AuthForbidden(logger, Scheme);
        await Problems.Problems.Forbidden("Your role does not allow this request.").ExecuteAsync(context);
    }

    private AuthenticateResult Authenticate()
    {
        if (credentials.Open)
        {
            return Success(OpenPrincipal);
        }

        // NOTE: failure messages are logged; they name what was wrong, never the key or the header.
        var headers = Context.Request.Headers;
        var presented = ReadApiKey(headers, out var keyError);
        if (keyError is not null)
        {
            return Fail(keyError);
        }

        if (presented is not null)
        {
            return credentials.Find(presented) is { } key
                ? Success(key.Principal)
                : Fail("The API key is not a configured key.");
        }

        // NOTE: without trust the header is ignored, not refused: a forged principal is the same as no credentials.
        if (credentials.TrustAppServicePrincipal && headers.TryGetValue(AppServicePrincipal.Header, out var principal))
        {
            return principal.Count == 1 && AppServicePrincipal.Parse(principal[0] ?? string.Empty, AppServiceAuthenticationType) is { } identity
                ? Success(new ClaimsPrincipal(identity))
                : Fail($"The {AppServicePrincipal.Header} header is not a client principal.");
        }

        return AuthenticateResult.NoResult();
    }

    private AuthenticateResult Success(ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme));

    private AuthenticateResult Fail(string reason)
    {
        Log.AuthNotAuthenticated(logger, Scheme, reason);
        return AuthenticateResult.Fail(reason);
    }

    /// <summary>
    /// The key from <c>Authorization: ApiKey …</c> or <c>X-Api-Key</c>, null when neither is sent, or an error when
    /// the key is sent more than once or empty. Other Authorization schemes (App Service forwards the bearer token
    /// it checked) are left alone.
    /// </summary>
    internal static string? ReadApiKey(IHeaderDictionary headers, out string? error)
    {
        error = null;
        string? key = null;
        var count = 0;
        foreach (var value in headers.Authorization)
        {
            var text = value ?? string.Empty;
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var scheme = space < 0 ? text.AsSpan() : text.AsSpan(0, space);
            if (scheme.Equals(AuthorizationScheme, StringComparison.OrdinalIgnoreCase))
            {
                key = space < 0 ? string.Empty : text[(space + 1)..].Trim();
                count++;
            }
        }

        if (headers.TryGetValue(ApiKeyHeader, out StringValues apiKeys))
        {
            foreach (var value in apiKeys)
            {
                key = (value ?? string.Empty).Trim();
                count++;
            }
        }

        if (count == 0)
        {
            return null;
        }

        if (count > 1)
        {
            error = "The API key was sent more than once; send it in one header.";
            return null;
        }

        if (key!.Length == 0)
        {
            error = "The API key is empty.";
            return null;
        }

        return key;
    }

    /// <summary>The principal of an API key: its holder's name, its role and the accounts it may act for.</summary>
    internal static ClaimsPrincipal KeyPrincipal(string name, string role, IEnumerable<string> accounts) => new SharedPrincipal(
        [
            new Claim(ClaimTypes.Name, name),
            new Claim(ClaimTypes.Role, role),
            .. accounts.Select(a => new Claim(AccountScope.ClaimType, a)),
        ],
        ApiKeyAuthenticationType);
}
