using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PostGate.Functions.Auth;

namespace PostGate.Functions.Tests;

/// <summary>A kind of caller: a name for test output and the headers it sends.</summary>
internal sealed record Caller(string Name, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public override string ToString() => Name;
}

/// <summary>
/// The callers the auth tests use, and the <c>PostGate:Auth</c> settings that give each keyed caller its role and
/// accounts. The account under test is <c>acme</c>; <c>globex</c> is somebody else's.
/// </summary>
internal static class Callers
{
    public const string AcmeMarketerKey = "pgk_test_acme_marketer_7d1f";
    public const string GlobexMarketerKey = "pgk_test_globex_marketer_42aa";
    public const string AllAccountsMarketerKey = "pgk_test_every_account_marketer_0b3c";
    public const string ComplianceKey = "pgk_test_compliance_9e5d";

    public static readonly Caller Anonymous = new("anonymous", []);

    public static readonly Caller BadKey = new("bad key", [new("X-Api-Key", "pgk_test_not_configured")]);

    public static readonly Caller AcmeMarketer = new("marketer of acme (X-Api-Key)", [new("X-Api-Key", AcmeMarketerKey)]);

    public static readonly Caller GlobexMarketer = new("marketer of globex (Authorization: ApiKey)", [new("Authorization", "ApiKey " + GlobexMarketerKey)]);

    public static readonly Caller AllAccountsMarketer = new("marketer of every account", [new("X-Api-Key", AllAccountsMarketerKey)]);

    public static readonly Caller Compliance = new("compliance", [new("Authorization", "ApiKey " + ComplianceKey)]);

    public static readonly Caller PrincipalMarketer = Principal("App Service marketer of acme", [("roles", Roles.Marketer), (AccountScope.ClaimType, "acme")]);

    public static readonly Caller PrincipalCompliance = Principal("App Service compliance", [("roles", Roles.Compliance)]);

    public static readonly Caller PrincipalWithoutRole = Principal("App Service without a role", [("roles", "reader"), (AccountScope.ClaimType, "acme")]);

    /// <summary>A principal header sent straight to an app that does not trust it: anyone could have written it.</summary>
    public static readonly Caller ForgedPrincipal = Principal("forged App Service compliance", [("roles", Roles.Compliance)]);

    /// <summary>Every caller by name, for theory data.</summary>
    public static IReadOnlyDictionary<string, Caller> ByName { get; } = new[]
    {
        Anonymous, BadKey, AcmeMarketer, GlobexMarketer, AllAccountsMarketer, Compliance,
        PrincipalMarketer, PrincipalCompliance, PrincipalWithoutRole, ForgedPrincipal,
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>The callers that need an app trusting the App Service principal header.</summary>
    public static bool NeedsTrust(Caller caller) =>
        caller == PrincipalMarketer || caller == PrincipalCompliance || caller == PrincipalWithoutRole;

    /// <summary>Keys for the keyed callers, and whether the App Service principal header is trusted.</summary>
    public static Dictionary<string, string?> Keys(bool trustAppServicePrincipal = false)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [AuthOptions.Section + ":TrustAppServicePrincipal"] = trustAppServicePrincipal ? "true" : "false",
        };
        (string Name, string Role, string Key, string[] Accounts)[] keys =
        [
            ("acme-scheduler", Roles.Marketer, AcmeMarketerKey, ["acme", "acme-eu"]),
            ("globex-scheduler", Roles.Marketer, GlobexMarketerKey, ["globex"]),
            ("agency", Roles.Marketer, AllAccountsMarketerKey, [AccountScope.Everything]),
            ("compliance-desk", Roles.Compliance, ComplianceKey, []),
        ];
        for (var i = 0; i < keys.Length; i++)
        {
            var prefix = $"{AuthOptions.Section}:Keys:{i}";
            settings[prefix + ":name"] = keys[i].Name;
            settings[prefix + ":role"] = keys[i].Role;
            settings[prefix + ":sha256"] = Sha256(keys[i].Key);
            for (var j = 0; j < keys[i].Accounts.Length; j++)
            {
                settings[$"{prefix}:accounts:{j}"] = keys[i].Accounts[j];
            }
        }

        return settings;
    }

    public static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>An App Service client principal header with the given claims, as App Service authentication writes it.</summary>
    public static Caller Principal(string name, IEnumerable<(string Type, string Value)> claims, string? roleType = null)
    {
        var principal = new Dictionary<string, object?>
        {
            ["auth_typ"] = "aad",
            ["name_typ"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
            ["role_typ"] = roleType ?? "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
            ["claims"] = claims
                .Prepend(("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", name.Replace(' ', '.')))
                .Select(c => new Dictionary<string, string> { ["typ"] = c.Item1, ["val"] = c.Item2 })
                .ToArray(),
        };
        return new(name, [new(AppServicePrincipal.Header, Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(principal)))]);
    }

    /// <summary>A client that sends the caller's headers with every request.</summary>
    public static HttpClient CreateClient(this GateApp app, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = app.CreateClient();
        foreach (var (header, value) in caller.Headers)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(header, value);
        }

        return client;
    }
}
