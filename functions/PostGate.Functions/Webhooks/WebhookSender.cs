using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using PostGate.Functions.Storage;

namespace PostGate.Functions.Webhooks;

/// <summary>
/// Posts one outbox row to its callback URL, signed, with retries: exponential backoff with jitter on 408, 429, 5xx
/// and transport failures, up to <see cref="WebhookOptions.MaxAttempts"/> attempts in all (counted across rounds).
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const string SignatureHeader = "X-PostGate-Signature";
    public const string TimestampHeader = "X-PostGate-Timestamp";

    /// <summary>The review id: the same on every attempt, so a receiver can drop repeats.</summary>
    public const string DeliveryHeader = "X-PostGate-Delivery";

    private static readonly ResiliencePropertyKey<int> BudgetKey = new("postgate.webhook.attempt-budget");
    private static readonly ResiliencePropertyKey<string> ReviewKey = new("postgate.webhook.review-id");

    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public WebhookSender(HttpMessageHandler handler, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookSender> logger)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = logger;

        // NOTE: timeouts belong to the pipeline (per attempt), not to HttpClient (which would cap the whole round).
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _pipeline = CreatePipeline(_options, time, logger);
    }

    public void Dispose() => _client.Dispose();

    /// <summary><c>sha256=</c> and the hex HMAC-SHA256, keyed with the secret, of <c>"{timestamp}.{body}"</c>.</summary>
    public static string Sign(string secret, string timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body));
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// One round of attempts for <paramref name="delivery"/>. <paramref name="onAttempt"/> is told each attempt's
    /// number before it is made, so the count survives a crash mid-round.
    /// </summary>
    public async Task<DeliveryResult> DeliverAsync(WebhookDelivery delivery, Func<int, CancellationToken, Task>? onAttempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (!_options.Enabled)
        {
            Log.WebhookNotSent(_logger, delivery.ReviewId);
            return new DeliveryResult(DeliveryStatus.Skipped, delivery.Attempts, "no signing secret configured");
        }

        // NOTE: checked again at delivery: the allowed hosts may have changed since the check that stored the URL.
        if (CallbackUrl.Check(delivery.Url, _options.AllowedHosts, out var uri) is { } refusal)
        {
            Log.WebhookRefused(_logger, delivery.ReviewId, refusal);
            return new DeliveryResult(DeliveryStatus.Failed, delivery.Attempts, "refused: " + refusal);
        }

        var budget = _options.MaxAttempts - delivery.Attempts;
        if (budget <= 0)
        {
            return new DeliveryResult(DeliveryStatus.Failed, delivery.Attempts, delivery.LastResult ?? "no attempts left");
        }

        var attempts = delivery.Attempts;
        var context = ResilienceContextPool.Shared.Get("webhook", cancellationToken);
        context.Properties.Set(BudgetKey, budget);
        context.Properties.Set(ReviewKey, delivery.ReviewId);
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    attempts++;
                    if (onAttempt is not null)
                    {
                        await onAttempt(attempts, ctx.CancellationToken);
                    }

                    using var request = Request(state, delivery);

                    // NOTE: headers only: the receiver's body is never read, so a huge one costs nothing.
                    return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken);
                },
                context,
                uri!);
            var code = (int)response.StatusCode;
            var result = response.IsSuccessStatusCode
                ? new DeliveryResult(DeliveryStatus.Delivered, attempts, code.ToString(CultureInfo.InvariantCulture))
                : new DeliveryResult(DeliveryStatus.Failed, attempts, "HTTP " + code.ToString(CultureInfo.InvariantCulture));
            Logged(uri!, result, delivery.ReviewId);
            return result;
        }
        catch (Exception ex) when (IsTransportFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            var result = WebhookHttp.Refusal(ex) is { } refused
                ? new DeliveryResult(DeliveryStatus.Failed, attempts, "refused: " + refused.Message)
                : new DeliveryResult(DeliveryStatus.Failed, attempts, ex is HttpRequestException http ? "transport: " + http.HttpRequestError : "timeout");
            Logged(uri!, result, delivery.ReviewId);
            return result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private HttpRequestMessage Request(Uri uri, WebhookDelivery delivery)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, Sign(_options.Secret!, timestamp, delivery.Body));
        request.Headers.Add(DeliveryHeader, delivery.ReviewId);
        request.Headers.UserAgent.ParseAdd("PostGate-Webhooks/1");
        return request;
    }

    private void Logged(Uri uri, DeliveryResult result, string reviewId)
    {
        // NOTE: only the host is logged: callback paths and queries often carry tokens.
        if (result.Status == DeliveryStatus.Delivered)
        {
            Log.WebhookDelivered(_logger, reviewId, uri.IdnHost, result.Attempts);
        }
        else
        {
            Log.WebhookFailed(_logger, reviewId, uri.IdnHost, result.Attempts, result.LastResult ?? string.Empty);
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> CreatePipeline(WebhookOptions options, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // NOTE: the budget is what is left of MaxAttempts after earlier rounds; it is carried in the context.
                ShouldHandle = args => ValueTask.FromResult(
                    args.AttemptNumber + 1 < args.Context.Properties.GetValue(BudgetKey, 1) && IsTransient(args.Outcome)),
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    Log.WebhookRetry(logger, args.Context.Properties.GetValue(ReviewKey, "?"), args.AttemptNumber + 2, args.RetryDelay);
                    return default;
                },
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <summary>408, 429, 5xx, and failures to connect or to get an answer; never a refusal by the SSRF guard.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response
            ? response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode is >= 500 and <= 599
            : outcome.Exception is { } exception && IsTransportFailure(exception) && WebhookHttp.Refusal(exception) is null;

    private static bool IsTransportFailure(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or IOException;
}
