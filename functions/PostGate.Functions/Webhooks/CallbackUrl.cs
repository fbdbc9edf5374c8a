using System.Net;

namespace PostGate.Functions.Webhooks;

/// <summary>
/// The rules a <c>callbackUrl</c> must follow, checked when a check request carries one and again before every
/// delivery: an absolute https URL on port 443, no user information, a host in
/// <see cref="WebhookOptions.AllowedHosts"/>, and never localhost or an internal IP literal.
/// </summary>
public static class CallbackUrl
{
    public const int MaxLength = 2_048;

    /// <summary>Why <paramref name="value"/> is refused, or null with the URL to deliver to.</summary>
    public static string? Check(string value, IEnumerable<string> allowedHosts, out Uri? uri)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(allowedHosts);
        uri = null;
        if (value.Length > MaxLength || !Uri.TryCreate(value, UriKind.Absolute, out var parsed))
        {
            return $"must be an absolute URL of at most {MaxLength} characters.";
        }

        if (parsed.Scheme != Uri.UriSchemeHttps)
        {
            return "must use https.";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "must not carry a user name or password.";
        }

        if (parsed.Port != 443)
        {
            return "must use the default https port (443).";
        }

        var host = Host(parsed);
        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return "must not point at localhost.";
        }

        if (parsed.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(host, out var address) && AddressGuard.IsInternal(address))
        {
            return "must not point at a private, loopback or link-local address.";
        }

        if (!IsAllowed(host, allowedHosts))
        {
            return $"host '{host}' is not one of the allowed callback hosts (PostGate:Webhooks:AllowedHosts).";
        }

        uri = parsed;
        return null;
    }

    /// <summary>Whether <paramref name="host"/> (lower case, no trailing dot) matches an entry exactly or by a <c>*.</c> suffix.</summary>
    public static bool IsAllowed(string host, IEnumerable<string> allowedHosts)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(allowedHosts);
        foreach (var entry in allowedHosts)
        {
            var pattern = entry.Trim().TrimEnd('.').ToLowerInvariant();
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                var suffix = pattern[1..];
                if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (pattern.Length > 0 && host == pattern)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The host as DNS sees it: punycode, lower case, without brackets or a trailing dot.</summary>
    private static string Host(Uri uri) =>
        uri.IdnHost.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
}
