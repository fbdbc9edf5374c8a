using System.Net;
using System.Net.Sockets;

namespace PostGate.Functions.Webhooks;

/// <summary>Resolves a host name to its addresses; tests pass a fake one.</summary>
public delegate Task<IPAddress[]> AddressResolver(string host, CancellationToken cancellationToken);

/// <summary>Creates the HTTP handler webhook deliveries go through; tests pass a fake one.</summary>
public delegate HttpMessageHandler WebhookHandlerFactory();

/// <summary>The HTTP handler for webhook deliveries, with the SSRF guard in its connect step.</summary>
public static class WebhookHttp
{
    /// <summary>
    /// A handler that resolves the host itself, refuses to connect when any of its addresses is internal (see
    /// <see cref="AddressGuard"/>), and connects to the addresses it checked, so DNS cannot answer differently in between.
    /// No proxy (it would make the check judge the proxy's address), no redirects (they would leave the allowed
    /// hosts), no cookies.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(WebhookOptions options, AddressResolver? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        resolve ??= Dns.GetHostAddressesAsync;
        return new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.AttemptTimeout,

            // NOTE: pooled connections are re-made now and then, so a host's DNS changes are seen (and checked) again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, resolve, cancellationToken),
        };
    }

    /// <summary>Resolves, checks every address, and connects to one of them; throws <see cref="CallbackRefusedException"/> when refused.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, AddressResolver resolve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(resolve);
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await resolve(endPoint.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new CallbackRefusedException($"'{endPoint.Host}' has no addresses.");
        }

        if (addresses.FirstOrDefault(AddressGuard.IsInternal) is { } blocked)
        {
            throw new CallbackRefusedException($"'{endPoint.Host}' resolves to {blocked}, an internal address.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The SSRF guard's refusal inside a failed request, or null when the request failed otherwise.</summary>
    public static CallbackRefusedException? Refusal(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is CallbackRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}

/// <summary>A delivery was refused because the callback's host resolves to an internal address.</summary>
public sealed class CallbackRefusedException : Exception
{
    public CallbackRefusedException()
    {
    }

    public CallbackRefusedException(string message)
        : base(message)
    {
    }

    public CallbackRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
