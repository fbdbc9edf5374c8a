using System.Net.Sockets;
using Azure;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace PostGate.Functions.Storage;

/// <summary>
/// The resilience around every Table Storage call: total timeout → retry (exponential, jitter, transient
/// failures only) → circuit breaker → per-attempt timeout. The SDK's own retries are off, so Polly owns them.
/// </summary>
public static class StoragePipeline
{
    public static ResiliencePipeline Create(StorageOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shouldHandle = new PredicateBuilder()
            .Handle<RequestFailedException>(IsTransient)
            .Handle<HttpRequestException>()
            .Handle<SocketException>()
            .Handle<TimeoutRejectedException>();

        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = shouldHandle,
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    Log.StorageRetry(logger, args.Context.OperationKey ?? "storage", args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = shouldHandle,
                FailureRatio = 0.5,
                MinimumThroughput = 8,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.BreakDuration,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>408, 429, 500, 502, 503, 504 and transport failures (status 0). Never 400/403/404/409/412.</summary>
    public static bool IsTransient(RequestFailedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Status is 0 or 408 or 429 or 500 or 502 or 503 or 504;
    }

    /// <summary>Whether a failure means the log could not be reached (→ 503), as opposed to a bug.</summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException rfe => IsTransient(rfe),
        HttpRequestException or SocketException or TimeoutRejectedException or BrokenCircuitException or IsolatedCircuitException => true,
        OperationCanceledException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsUnavailable),
        _ => false,
    };
}
