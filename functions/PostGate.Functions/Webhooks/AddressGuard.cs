using System.Net;
using System.Net.Sockets;

namespace PostGate.Functions.Webhooks;

/// <summary>
/// Keeps webhook deliveries off internal networks: addresses that are private, loopback, link-local, unique-local,
/// unspecified, multicast or otherwise not routable on the internet are refused, whether they come as an IP literal in
/// the URL or from DNS at delivery time.
/// </summary>
public static class AddressGuard
{
    /// <summary>Whether a delivery must not connect to <paramref name="address"/>.</summary>
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsInternalV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsInternalV6(address),
            _ => true,
        };
    }

    private static bool IsInternalV4(byte[] b) =>
        b[0] is 0 or 10 or 127 or >= 224 // this network, private, loopback, multicast, reserved, broadcast
        || (b[0] == 100 && b[1] is >= 64 and <= 127) // carrier-grade NAT
        || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata endpoints
        || (b[0] == 172 && b[1] is >= 16 and <= 31)
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
        || (b[0] == 198 && b[1] is 18 or 19); // benchmarking

    private static bool IsInternalV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast)
        {
            return true;
        }

        var b = address.GetAddressBytes();

        // NOTE: NAT64 (64:ff9b::/96), 6to4 (2002::/16) and IPv4-compatible (::/96) addresses carry an IPv4 address
        // that a gateway may route to; they are judged by it.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return IsInternalV4(b[12..16]);
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsInternalV4(b[2..6]);
        }

        return b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
    }
}
