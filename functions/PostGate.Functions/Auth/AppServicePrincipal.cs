using System.Security.Claims;
using System.Text.Json;

namespace PostGate.Functions.Auth;

/// <summary>
/// Reads the <c>X-MS-CLIENT-PRINCIPAL</c> header App Service authentication sets: base64 of
/// <c>{"auth_typ": "…", "name_typ": "…", "role_typ": "…", "claims": [{"typ": "…", "val": "…"}]}</c>.
/// </summary>
public static class AppServicePrincipal
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The claim type Entra ID uses for app roles.</summary>
    public const string RolesClaim = "roles";

    /// <summary>Longest header accepted; App Service principals with many groups stay well below it.</summary>
    public const int MaxHeaderLength = 16 * 1024;

    /// <summary>
    /// The caller's name, roles (from <c>roles</c> claims and claims of the <c>role_typ</c> type; unknown roles are
    /// dropped) and accounts (from <c>postgate_accounts</c> claims, comma-separated), or null when the header is
    /// not a principal App Service would send.
    /// </summary>
    public static ClaimsIdentity? Parse(string header, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Length is 0 or > MaxHeaderLength)
        {
            return null;
        }

        byte[] json;
        try
        {
            json = Convert.FromBase64String(header);
        }
        catch (FormatException)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("claims", out var claims)
                || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var nameType = OptionalString(root, "name_typ");
            var roleType = OptionalString(root, "role_typ");
            var pairs = new List<(string Type, string Value)>();
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind != JsonValueKind.Object
                    || OptionalString(claim, "typ") is not { Length: > 0 } type
                    || OptionalString(claim, "val") is not { } value)
                {
                    return null;
                }

                pairs.Add((type, value));
            }

            var identity = new ClaimsIdentity(authenticationType, ClaimTypes.Name, ClaimTypes.Role);
            var name = pairs.FirstOrDefault(p => p.Type == nameType).Value
                ?? pairs.FirstOrDefault(p => p.Type is "name" or "preferred_username").Value
                ?? "app-service-principal";
            identity.AddClaim(new Claim(ClaimTypes.Name, name));
            foreach (var role in pairs
                .Where(p => p.Type == RolesClaim || (!string.IsNullOrEmpty(roleType) && p.Type == roleType))
                .Select(p => p.Value)
                .Where(Roles.IsKnown)
                .Distinct(StringComparer.Ordinal))
            {
                identity.AddClaim(new Claim(ClaimTypes.Role, role));
            }

            foreach (var account in pairs
                .Where(p => p.Type == AccountScope.ClaimType)
                .SelectMany(p => p.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .Distinct(StringComparer.Ordinal))
            {
                identity.AddClaim(new Claim(AccountScope.ClaimType, account));
            }

            return identity;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // An unpaired surrogate escape: not something App Service writes.
            return null;
        }
    }
}
