using System.Globalization;
using Microsoft.Extensions.Options;

namespace PostGate.Functions.Auth;

/// <summary>Settings under <c>PostGate:Auth</c>: where callers' identities come from.</summary>
public sealed class AuthOptions
{
    public const string Section = "PostGate:Auth";

    /// <summary>
    /// <c>auto</c> (the default): open only in the Development environment and only when no identity source is
    /// configured. <c>open</c>: open whenever no identity source is configured, in any environment. <c>enforce</c>:
    /// never open. "Open" means every caller is a marketer and compliance officer for every account.
    /// </summary>
    public string? Mode { get; set; }

    /// <summary>API keys, one per caller, stored as the SHA-256 of the key.</summary>
    public IList<ApiKeyOptions> Keys { get; } = [];

    /// <summary>
    /// Trust the <c>X-MS-CLIENT-PRINCIPAL</c> header. Only behind App Service authentication, which sets it and
    /// drops any copy a client sends; anywhere else anyone could claim any role. Default false.
    /// </summary>
    public bool TrustAppServicePrincipal { get; set; }
}

/// <summary>One API key under <c>PostGate:Auth:Keys</c>.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who holds the key; shown nowhere but in the key's own errors.</summary>
    public string? Name { get; set; }

    /// <summary><c>marketer</c> or <c>compliance</c>.</summary>
    public string? Role { get; set; }

    /// <summary>The SHA-256 of the key's UTF-8 bytes, 64 hex digits (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public string? Sha256 { get; set; }

    /// <summary>A marketer's accounts (<c>*</c> for every account). Compliance keys have none.</summary>
    public IList<string> Accounts { get; } = [];
}

/// <summary>Checks <see cref="AuthOptions"/> at start-up and reports every problem at once, each with its setting path.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public const string ModeAuto = "auto";
    public const string ModeOpen = "open";
    public const string ModeEnforce = "enforce";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Mode is { Length: > 0 } mode && mode is not (ModeAuto or ModeOpen or ModeEnforce))
        {
            errors.Add($"{AuthOptions.Section}:Mode: must be '{ModeAuto}', '{ModeOpen}' or '{ModeEnforce}' (was '{mode}').");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var path = string.Create(CultureInfo.InvariantCulture, $"{AuthOptions.Section}:Keys:{i}");
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                errors.Add($"{path}:name: is required.");
            }
            else if (!names.Add(key.Name))
            {
                errors.Add($"{path}:name: '{key.Name}' is used by another key.");
            }

            if (!Roles.IsKnown(key.Role))
            {
                errors.Add($"{path}:role: must be '{Roles.Marketer}' or '{Roles.Compliance}' (was '{key.Role}').");
            }

            if (key.Sha256 is not { Length: 64 } hash || !hash.All(char.IsAsciiHexDigit))
            {
                // NOTE: the value is not echoed: someone may have pasted the key itself here.
                errors.Add($"{path}:sha256: must be the SHA-256 of the key as 64 hex digits, not the key.");
            }
            else if (!hashes.Add(hash))
            {
                errors.Add($"{path}:sha256: is the same key as another entry.");
            }

            if (key.Role == Roles.Marketer && key.Accounts.Count == 0)
            {
                errors.Add($"{path}:accounts: a marketer key needs at least one account ('{AccountScope.Everything}' for every account).");
            }
            else if (key.Role == Roles.Compliance && key.Accounts.Count > 0)
            {
                errors.Add($"{path}:accounts: compliance reads every account; leave accounts out.");
            }

            for (var j = 0; j < key.Accounts.Count; j++)
            {
                if (string.IsNullOrEmpty(key.Accounts[j]))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:accounts:{j}: must not be empty."));
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
