using System.Collections.Concurrent;
using System.Net;

namespace PostGate.Functions.Tests.Webhooks;

/// <summary>One request a <see cref="RecordingHandler"/> received, read at send time.</summary>
internal sealed record ReceivedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body, string? ContentType);

/// <summary>
/// A fake webhook receiver: records every request and answers from a script of status codes or exceptions
/// (the last one repeats), so retries and failures can be played without a network.
/// </summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Func<int, object> _answer;

    /// <summary>Answers with the given statuses (or exceptions) in turn; the last repeats.</summary>
    public RecordingHandler(params object[] script)
    {
        ArgumentNullException.ThrowIfNull(script);
        _answer = n => script[Math.Min(n, script.Length - 1)];
    }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Completes each time a request arrives; tests wait on it instead of sleeping.</summary>
    public SemaphoreSlim Arrived { get; } = new(0);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var answer = _answer(Requests.Count);
        Requests.Enqueue(new ReceivedRequest(request.Method, request.RequestUri!, headers, body, request.Content?.Headers.ContentType?.ToString()));
        Arrived.Release();
        return answer switch
        {
            Exception exception => throw exception,
            HttpStatusCode status => new HttpResponseMessage(status) { RequestMessage = request },
            int status => new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request },
            _ => throw new InvalidOperationException($"Cannot answer with {answer}."),
        };
    }

    /// <summary>Waits until <paramref name="count"/> requests in all have arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (Requests.Count < count)
        {
            await Arrived.WaitAsync(cancel.Token);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Arrived.Dispose();
        }

        base.Dispose(disposing);
    }
}
