using System.Net.Sockets;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using PostGate.Functions.Storage;
using Xunit;

namespace PostGate.Functions.Tests.Storage;

public sealed class StoragePipelineTests
{
    public static TheoryData<int, bool> Statuses => new()
    {
        // Status 0: the request never got an answer (connection refused, reset, DNS).
        { 0, true },
        { 408, true },
        { 429, true },
        { 500, true },
        { 502, true },
        { 503, true },
        { 504, true },
        { 400, false },
        { 401, false },
        { 403, false },
        { 404, false },
        { 409, false },
        { 412, false },
        { 413, false },
        // Not implemented will not start working on a retry.
        { 501, false },
        { 505, false },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void IsTransient_ByStatus(int status, bool transient)
    {
        Assert.Equal(transient, StoragePipeline.IsTransient(new RequestFailedException(status, "x")));
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void IsUnavailable_RequestFailed_FollowsIsTransient(int status, bool unavailable)
    {
        Assert.Equal(unavailable, StoragePipeline.IsUnavailable(new RequestFailedException(status, "x")));
    }

    public static TheoryData<Exception, bool> Failures => new()
    {
        { new HttpRequestException("refused"), true },
        { new SocketException((int)SocketError.ConnectionRefused), true },
        { new TimeoutRejectedException(), true },
        { new BrokenCircuitException(), true },
        { new IsolatedCircuitException(), true },
        { new OperationCanceledException(), true },
        { new TaskCanceledException(), true },
        { new AggregateException(new HttpRequestException("a"), new RequestFailedException(503, "b")), true },
        // One bug among the failures makes the whole a bug.
        { new AggregateException(new HttpRequestException("a"), new InvalidOperationException("b")), false },
        { new TableTransactionFailedException(new RequestFailedException(409, "exists")), false },
        { new TableTransactionFailedException(new RequestFailedException(503, "busy")), true },
        { new InvalidOperationException("bug"), false },
        { new ArgumentException("bug"), false },
        { new FormatException("bug"), false },
        { new StorageUnavailableException("already translated"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsUnavailable_ByException(Exception exception, bool unavailable)
    {
        Assert.Equal(unavailable, StoragePipeline.IsUnavailable(exception));
    }

    private static ResiliencePipeline Pipeline(int maxRetries = 2) =>
        StoragePipeline.Create(
            new StorageOptions
            {
                MaxRetries = maxRetries,
                RetryDelay = TimeSpan.FromMilliseconds(1),
                AttemptTimeout = TimeSpan.FromSeconds(5),
                TotalTimeout = TimeSpan.FromSeconds(10),
            },
            TimeProvider.System,
            NullLogger.Instance);

    [Theory]
    [InlineData(0)]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Create_TransientFailure_IsRetriedMaxRetriesTimes(int status)
    {
        var attempts = 0;

        await Assert.ThrowsAsync<RequestFailedException>(async () => await Pipeline(maxRetries: 2).ExecuteAsync(_ =>
        {
            attempts++;
            throw new RequestFailedException(status, "x");
        }));

        Assert.Equal(3, attempts);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(409)]
    [InlineData(412)]
    public async Task Create_PermanentFailure_IsNotRetried(int status)
    {
        var attempts = 0;

        await Assert.ThrowsAsync<RequestFailedException>(async () => await Pipeline().ExecuteAsync(_ =>
        {
            attempts++;
            throw new RequestFailedException(status, "x");
        }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Create_TransientThenSuccess_Succeeds()
    {
        var attempts = 0;

        var result = await Pipeline().ExecuteAsync(_ =>
        {
            attempts++;
            return attempts == 1 ? throw new HttpRequestException("reset") : ValueTask.FromResult(42);
        });

        Assert.Equal(42, result);
        Assert.Equal(2, attempts);
    }
}
