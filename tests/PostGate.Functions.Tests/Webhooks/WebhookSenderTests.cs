using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PostGate.Functions.Storage;
using PostGate.Functions.Webhooks;
using Xunit;

namespace PostGate.Functions.Tests.Webhooks;

/// <summary>Delivery through a fake handler: signature, retries, refusals. No network is touched.</summary>
public sealed class WebhookSenderTests
{
    private const string Secret = "whsec_test_4f1c9a";
    private const string Url = "https://hooks.example.com/postgate?token=abc";
    private const string Body = """{"decisionId":"d","accountId":"acme","draftId":"d-1","status":"approved","action":"approve","reason":"Fine.","reviewer":"ann","at":"2026-11-30T08:00:00+00:00"}""";

    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static WebhookOptions Options(string? secret = Secret, int maxAttempts = 4) => new()
    {
        Secret = secret,
        AllowedHosts = { "hooks.example.com", "*.partner.example" },
        MaxAttempts = maxAttempts,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(5),
        AttemptTimeout = TimeSpan.FromSeconds(5),
    };

    private static WebhookSender Sender(HttpMessageHandler handler, WebhookOptions? options = null) =>
        new(handler, Microsoft.Extensions.Options.Options.Create(options ?? Options()), new FixedClock(Now), NullLogger<WebhookSender>.Instance);

    private static WebhookDelivery Delivery(string url = Url, int attempts = 0) =>
        new("0194f1d2c3b47a8e9f0a1b2c3d4e5f60", "0194f1d2c3b47a8e9f0a1b2c3d4e5f61", url, Body, DeliveryStatus.Pending, attempts);

    [Fact]
    public async Task Deliver_Accepted_PostsTheBodySignedWithTimestamp()
    {
        using var handler = new RecordingHandler(HttpStatusCode.NoContent);
        using var sender = Sender(handler);

        var result = await sender.DeliverAsync(Delivery(), null, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryStatus.Delivered, 1, "204"), result);
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri(Url), request.Uri);
        Assert.Equal(Body, request.Body);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("0194f1d2c3b47a8e9f0a1b2c3d4e5f60", request.Headers[WebhookSender.DeliveryHeader]);
        var timestamp = request.Headers[WebhookSender.TimestampHeader];
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);

        // What a receiver does: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret, compared in constant time.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(timestamp + "." + request.Body)));
        Assert.True(CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(request.Headers[WebhookSender.SignatureHeader])));
    }

    [Fact]
    public void Sign_MatchesAnIndependentHmac()
    {
        // Computed outside .NET: python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test_4f1c9a", b"1764489600.{\"status\":\"approved\"}", hashlib.sha256).hexdigest())'
        Assert.Equal(
            "sha256=4d6d9b3cb5a84e84adae663abb60fc1c83d5a78dc6c08114771e8b77f5a442d3",
            WebhookSender.Sign(Secret, "1764489600", """{"status":"approved"}"""));
    }

    [Fact]
    public async Task Deliver_Signature_DoesNotVerifyWithAnotherSecretOrBody()
    {
        using var handler = new RecordingHandler(HttpStatusCode.OK);
        using var sender = Sender(handler);

        await sender.DeliverAsync(Delivery(), null, CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        var timestamp = request.Headers[WebhookSender.TimestampHeader];
        var signature = request.Headers[WebhookSender.SignatureHeader];
        Assert.Equal(WebhookSender.Sign(Secret, timestamp, Body), signature);
        Assert.NotEqual(WebhookSender.Sign("another secret", timestamp, Body), signature);
        Assert.NotEqual(WebhookSender.Sign(Secret, timestamp, Body.Replace("approved", "rejected", StringComparison.Ordinal)), signature);
        Assert.NotEqual(WebhookSender.Sign(Secret, (long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Body), signature);
    }

    public static TheoryData<int> TransientStatuses => new() { 408, 429, 500, 502, 503, 504 };

    [Theory]
    [MemberData(nameof(TransientStatuses))]
    public async Task Deliver_TransientThenSuccess_RetriesAndDelivers(int status)
    {
        using var handler = new RecordingHandler(status, status, HttpStatusCode.OK);
        using var sender = Sender(handler);
        var recorded = new List<int>();

        var result = await sender.DeliverAsync(Delivery(), (n, _) => { recorded.Add(n); return Task.CompletedTask; }, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryStatus.Delivered, 3, "200"), result);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal([1, 2, 3], recorded);

        // Every attempt posts the same bytes under a fresh signature over its own timestamp.
        Assert.All(handler.Requests, r => Assert.Equal(Body, r.Body));
        Assert.All(handler.Requests, r => Assert.Equal(WebhookSender.Sign(Secret, r.Headers[WebhookSender.TimestampHeader], Body), r.Headers[WebhookSender.SignatureHeader]));
    }

    [Fact]
    public async Task Deliver_503ThenSuccess_TwoAttempts()
    {
        using var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var sender = Sender(handler);

        var result = await sender.DeliverAsync(Delivery(), null, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryStatus.Delivered, 2, "200"), result);
    }

    [Fact]
    public async Task Deliver_TransportFailureThenSuccess_Retries()
    {
        using var handler = new RecordingHandler(new HttpRequestException(HttpRequestError.ConnectionError, "reset", new SocketException((int)SocketError.ConnectionReset)), HttpStatusCode.OK);
        using var sender = Sender(handler);

        var result = await sender.DeliverAsync(Delivery(), null, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Deliver_AlwaysUnavailable_StopsAtMaxAttempts()
    {
        using var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable);
        using var sender = Sender(handler, Options(maxAttempts: 4));

        var result = await sender.DeliverAsync(Delivery(), null, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryStatus.Failed, 4, "HTTP 503"), result);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task Deliver_EarlierAttempts_CountAgainstMaxAttempts()
    {
        using var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable);
        using var sender = Sender(handler, Options(maxAttempts: 4));

        // Three attempts were made before a restart; one is left.
        var result = await sender.DeliverAsync(Delivery(attempts: 3), null, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryStatus.Failed, 4, "HTTP 503"), result);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Deliver_NoAttemptsLeft_SendsNothing()
    {
        using var handler = new RecordingHandler(HttpStatusCode.OK);
        using var sender = Sender(handler, Options(maxAttempts: 4));

        var result = await sender.DeliverAsync(Delivery(attempts: 4), null, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Failed, result.Status);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    // Redirects are not followed: they would lead off the allowed hosts.
    [InlineData(302)]
    public async Task Deliver_PermanentAnswer_IsNotRetried(int status)
    {
        using var handler = new RecordingHandler(status);
        using var sender = Sender(handler);

        var result = await sender.DeliverAsync(Delivery(), null, CancellationToken.None);

        Assert.Equal(new DeliveryResult(DeliveryStatus.Failed, 1, $"HTTP {status}"), result);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Deliver_NoSecret_SendsNothing()
    {
        using var handler = new RecordingHandler(HttpStatusCode.OK);
        using var sender = Sender(handler, Options(secret: null));

        var result = await sender.DeliverAsync(Delivery(), null, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Skipped, result.Status);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("https://evil.example.net/hook")]
    // The allowed suffix needs a subdomain in front of it.
    [InlineData("https://partner.example/hook")]
    [InlineData("https://hooks.example.com.evil.example/hook")]
    [InlineData("http://hooks.example.com/hook")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://localhost/hook")]
    public async Task Deliver_UrlNoLongerAllowed_IsRefusedWithoutSending(string url)
    {
        using var handler = new RecordingHandler(HttpStatusCode.OK);
        using var sender = Sender(handler);

        var result = await sender.DeliverAsync(Delivery(url), null, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Failed, result.Status);
        Assert.StartsWith("refused: ", result.LastResult, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    public static TheoryData<string[]> InternalResolutions => new()
    {
        { ["10.0.0.7"] },
        { ["127.0.0.1"] },
        { ["169.254.169.254"] },
        { ["::1"] },
        { ["fd00::1"] },
        { ["fe80::1"] },
        { ["::ffff:192.168.1.1"] },
        // One internal address among public ones is enough to refuse.
        { ["93.184.216.34", "172.16.0.1"] },
    };

    /// <summary>The real handler with a fake DNS: an allowed name that resolves inside is refused before connecting.</summary>
    [Theory]
    [MemberData(nameof(InternalResolutions))]
    public async Task Deliver_HostResolvingToInternalAddress_IsRefusedAndNotRetried(string[] addresses)
    {
        var options = Options();
        var lookups = 0;
        using var sender = Sender(
            WebhookHttp.CreateHandler(options, (host, _) =>
            {
                Assert.Equal("hooks.example.com", host);
                Interlocked.Increment(ref lookups);
                return Task.FromResult(addresses.Select(IPAddress.Parse).ToArray());
            }),
            options);

        var result = await sender.DeliverAsync(Delivery(), null, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Failed, result.Status);
        Assert.Equal(1, result.Attempts);
        Assert.StartsWith("refused: ", result.LastResult, StringComparison.Ordinal);
        Assert.Equal(1, lookups);
    }

    [Fact]
    public async Task Deliver_HostWithNoAddresses_IsRefused()
    {
        var options = Options();
        using var sender = Sender(WebhookHttp.CreateHandler(options, (_, _) => Task.FromResult(Array.Empty<IPAddress>())), options);

        var result = await sender.DeliverAsync(Delivery(), null, CancellationToken.None);

        Assert.StartsWith("refused: ", result.LastResult, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateHandler_NoProxyNoRedirectsNoCookies()
    {
        using var handler = WebhookHttp.CreateHandler(Options());

        Assert.False(handler.UseProxy);
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.NotNull(handler.ConnectCallback);
    }

    [Fact]
    public async Task Deliver_BodyIsTheWebhookContract()
    {
        using var handler = new RecordingHandler(HttpStatusCode.OK);
        using var sender = Sender(handler);

        await sender.DeliverAsync(Delivery(), null, CancellationToken.None);

        using var document = JsonDocument.Parse(Assert.Single(handler.Requests).Body);
        Assert.Equal(
            ["decisionId", "accountId", "draftId", "status", "action", "reason", "reviewer", "at"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
    }

    /// <summary>
    /// A clock whose "now" stands still while its timers run in real time: retry delays (a few milliseconds here) pass,
    /// and the signed timestamp is known. A FakeTimeProvider would hold every retry until advanced.
    /// </summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
