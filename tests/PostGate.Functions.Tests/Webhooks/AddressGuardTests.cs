using System.Net;
using PostGate.Functions.Webhooks;
using Xunit;

namespace PostGate.Functions.Tests.Webhooks;

public sealed class AddressGuardTests
{
    public static TheoryData<string, bool> Addresses => new()
    {
        { "93.184.216.34", false },
        { "8.8.8.8", false },
        { "1.1.1.1", false },
        { "2606:4700:4700::1111", false },
        { "0.0.0.0", true },
        { "10.1.2.3", true },
        { "100.64.0.1", true },
        // Just outside carrier-grade NAT.
        { "100.128.0.1", false },
        { "127.0.0.1", true },
        { "127.255.255.254", true },
        // Link-local, including the cloud metadata endpoint.
        { "169.254.169.254", true },
        { "172.16.0.1", true },
        { "172.31.255.255", true },
        // Just outside 172.16/12.
        { "172.32.0.1", false },
        { "192.168.0.1", true },
        { "192.0.0.8", true },
        { "198.18.0.1", true },
        { "224.0.0.1", true },
        { "255.255.255.255", true },
        { "::", true },
        { "::1", true },
        { "fe80::1", true },
        { "fec0::1", true },
        { "fc00::1", true },
        { "fd12:3456::1", true },
        { "ff02::1", true },
        // IPv4 inside IPv6: mapped, NAT64, 6to4 and the old compatible form are judged by the IPv4 address.
        { "::ffff:127.0.0.1", true },
        { "::ffff:10.0.0.1", true },
        { "::ffff:93.184.216.34", false },
        { "64:ff9b::a00:1", true },
        { "64:ff9b::5db8:d822", false },
        { "2002:c0a8:0101::1", true },
        { "2002:5db8:d822::1", false },
        { "::127.0.0.1", true },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public void IsInternal_ByRange(string address, bool isInternal)
    {
        Assert.Equal(isInternal, AddressGuard.IsInternal(IPAddress.Parse(address)));
    }
}
