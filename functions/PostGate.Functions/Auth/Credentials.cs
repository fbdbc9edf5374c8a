using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PostGate.Functions.Auth;

/// <summary>
/// The identity sources in force, resolved once at start-up from <see cref="AuthOptions"/>: the API keys (as
/// hashes), whether the App Service principal header is trusted, and whether the gate is open.
/// </summary>
public sealed class Credentials
{
    /// <summary>The key this thread last found, with the text that was presented for it (see <see cref="Find"/>).</summary>
    [ThreadStatic]
    private static Found? t_lastFound;

    private readonly ApiKey[] _keys;

    private Credentials(ApiKey[] keys, bool trustAppServicePrincipal, bool open)
    {
        _keys = keys;
        TrustAppServicePrincipal = trustAppServicePrincipal;
        Open = open;
    }

    /// <summary>No identity is checked: every caller is a marketer and compliance officer for every account.</summary>
    public bool Open { get; }

    public bool TrustAppServicePrincipal { get; }

    public int KeyCount => _keys.Length;

    /// <summary>A configured key: who holds it, the role and accounts it grants, and the SHA-256 of the key.</summary>
    public sealed record ApiKey(string Name, string Role, IReadOnlyList<string> Accounts, byte[] Hash)
    {
        /// <summary>The caller this key authenticates, made once and shared by the key's requests (it refuses changes).</summary>
        public ClaimsPrincipal Principal { get; } = GateAuthenticationHandler.KeyPrincipal(Name, Role, Accounts);
    }

    public static Credentials Create(AuthOptions options, IHostEnvironment environment, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var keys = options.Keys
            .Select(k => new ApiKey(k.Name!, k.Role!, [.. k.Accounts], Convert.FromHexString(k.Sha256!)))
            .ToArray();
        var mode = string.IsNullOrEmpty(options.Mode) ? AuthOptionsValidator.ModeAuto : options.Mode;
        var configured = keys.Length > 0 || options.TrustAppServicePrincipal;

        // NOTE: open needs both an explicit wish (Mode=open, or Development under auto) and nothing configured, so
        // a deployment that forgets its keys refuses every caller instead of admitting them.
        var open = !configured && (mode == AuthOptionsValidator.ModeOpen || (mode == AuthOptionsValidator.ModeAuto && environment.IsDevelopment()));
        if (open)
        {
            Log.AuthOpen(logger, mode == AuthOptionsValidator.ModeOpen ? $"{AuthOptions.Section}:Mode is 'open'" : "Development environment with no keys");
        }
        else if (configured && mode == AuthOptionsValidator.ModeOpen)
        {
            Log.AuthOpenIgnored(logger, keys.Length, options.TrustAppServicePrincipal);
        }
        else if (!configured)
        {
            Log.AuthNothingConfigured(logger, environment.EnvironmentName);
        }
        else
        {
            Log.AuthConfigured(
                logger, keys.Count(k => k.Role == Roles.Marketer), keys.Count(k => k.Role == Roles.Compliance), options.TrustAppServicePrincipal);
        }

        return new Credentials(keys, options.TrustAppServicePrincipal, open);
    }

    public static Credentials Create(IOptions<AuthOptions> options, IHostEnvironment environment, ILogger<Credentials> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(options.Value, environment, logger);
    }

    /// <summary>The configured key whose hash matches <paramref name="presented"/>, or null.</summary>
    public ApiKey? Find(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);

        // NOTE: a scheduler sends the same key with every request, so each thread remembers the last key it found
        // and the text presented for it: the same text again is that key without hashing it again. The texts are
        // compared in constant time; only their lengths may differ in time, and a key's length is no secret (keys
        // are "pgk_" and 48 hex digits, see README).
        if (t_lastFound is { } last && ReferenceEquals(last.Owner, this) && last.Presented.Length == presented.Length
            && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(last.Presented.AsSpan()), MemoryMarshal.AsBytes(presented.AsSpan())))
        {
            return last.Key;
        }

        var match = FindByHash(presented);
        if (match is not null)
        {
            t_lastFound = new Found(this, presented, match);
        }

        return match;
    }

    private ApiKey? FindByHash(string presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);

        // NOTE: every entry is compared, in constant time, so the answer's timing says nothing about which key was close.
        ApiKey? match = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                match = key;
            }
        }

        return match;
    }

    private sealed record Found(Credentials Owner, string Presented, ApiKey Key);
}
