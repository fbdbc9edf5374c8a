using System.Buffers.Text;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace PostGate.Load;

/// <summary>The status of one response and whether it carried <c>Idempotent-Replayed</c>.</summary>
internal readonly record struct RawResponse(int Status, bool Replayed);

/// <summary>
/// One keep-alive HTTP/1.1 connection over a plain socket that POSTs a JSON body and reads the whole response. The
/// load generator shares the machine with the gate it measures, and this costs a fraction of <c>HttpClient</c>'s CPU
/// per request. Reads <c>Content-Length</c> and chunked bodies; a response that announces <c>Connection: close</c>
/// (or a failed exchange) closes the socket, and the next request opens a new one.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly string host;
    private readonly int port;
    private readonly byte[] head;
    private byte[] request = new byte[4096];
    private byte[] buffer = new byte[16 * 1024];
    private Socket? socket;
    private int start;
    private int end;

    public RawHttpConnection(Uri baseAddress, string pathAndQuery, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        host = baseAddress.Host;
        port = baseAddress.Port;
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"POST /{pathAndQuery.TrimStart('/')} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {baseAddress.Authority}\r\n")
            .Append("Content-Type: application/json\r\n");
        if (apiKey is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"X-Api-Key: {apiKey}\r\n");
        }

        head = Encoding.ASCII.GetBytes(text.Append("Content-Length: ").ToString());
    }

    public async Task<RawResponse> PostAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var length = WriteRequest(body.Span);
        try
        {
            socket ??= await ConnectAsync(cancellationToken);
            var sent = 0;
            while (sent < length)
            {
                sent += await socket.SendAsync(request.AsMemory(sent, length - sent), SocketFlags.None, cancellationToken);
            }

            return await ReadResponseAsync(cancellationToken);
        }
        catch
        {
            Close();
            throw;
        }
    }

    public void Dispose() => Close();

    private int WriteRequest(ReadOnlySpan<byte> body)
    {
        var needed = head.Length + 16 + body.Length;
        if (request.Length < needed)
        {
            request = new byte[Math.Max(needed, request.Length * 2)];
        }

        head.CopyTo(request, 0);
        var at = head.Length;
        Utf8Formatter.TryFormat(body.Length, request.AsSpan(at), out var digits);
        at += digits;
        "\r\n\r\n"u8.CopyTo(request.AsSpan(at));
        at += 4;
        body.CopyTo(request.AsSpan(at));
        return at + body.Length;
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await connection.ConnectAsync(host, port, cancellationToken);
            start = end = 0;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task<RawResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        int headerLength;
        while ((headerLength = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }

        var (status, contentLength, chunked, close, replayed) = ParseHead(buffer.AsSpan(start, headerLength + 2));
        start += headerLength + 4;
        if (chunked)
        {
            while (true)
            {
                var line = await LineAsync(cancellationToken);
                var size = ParseChunkSize(buffer.AsSpan(start, line));
                start += line + 2;
                if (size == 0)
                {
                    // NOTE: trailers, if any, end with an empty line.
                    while ((line = await LineAsync(cancellationToken)) > 0)
                    {
                        start += line + 2;
                    }

                    start += 2;
                    break;
                }

                await SkipAsync(size + 2, cancellationToken);
            }
        }
        else
        {
            await SkipAsync(contentLength, cancellationToken);
        }

        if (close)
        {
            Close();
        }

        return new RawResponse(status, replayed);
    }

    private static (int Status, long ContentLength, bool Chunked, bool Close, bool Replayed) ParseHead(ReadOnlySpan<byte> head)
    {
        // NOTE: "HTTP/1.1 200 OK": the code is the three digits after the first space.
        var firstLine = head.IndexOf("\r\n"u8);
        var space = head.IndexOf((byte)' ');
        if (firstLine < 0 || space < 0 || space + 4 > firstLine
            || !Utf8Parser.TryParse(head.Slice(space + 1, 3), out int status, out var used) || used != 3)
        {
            throw new IOException("malformed status line: " + Encoding.ASCII.GetString(head[..Math.Max(firstLine, 0)]));
        }

        long contentLength = 0;
        bool chunked = false, close = false, replayed = false;
        var rest = head[(firstLine + 2)..];
        while (!rest.IsEmpty)
        {
            var lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? default : rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!Utf8Parser.TryParse(value, out contentLength, out _))
                {
                    throw new IOException("malformed Content-Length");
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = value.EndsWith("chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Idempotent-Replayed"u8))
            {
                replayed = true;
            }
        }

        return (status, contentLength, chunked, close, replayed);
    }

    private static long ParseChunkSize(ReadOnlySpan<byte> line)
    {
        var extension = line.IndexOf((byte)';');
        if (extension >= 0)
        {
            line = line[..extension];
        }

        if (!Utf8Parser.TryParse(line.Trim(" \t"u8), out long size, out _, 'X'))
        {
            throw new IOException("malformed chunk size");
        }

        return size;
    }

    /// <summary>The length of the line at the read position (its CRLF excluded), reading until one is complete.</summary>
    private async ValueTask<int> LineAsync(CancellationToken cancellationToken)
    {
        int length;
        while ((length = buffer.AsSpan(start, end - start).IndexOf("\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }

        return length;
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var take = (int)Math.Min(count, end - start);
            start += take;
            count -= take;
            if (count == 0)
            {
                return;
            }

            await FillAsync(cancellationToken);
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        var read = await socket!.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, cancellationToken);
        if (read == 0)
        {
            throw new IOException("the server closed the connection in the middle of a response");
        }

        end += read;
    }

    private void Close()
    {
        socket?.Dispose();
        socket = null;
        start = end = 0;
    }
}
