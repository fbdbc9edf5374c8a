using PostGate.Functions.Contracts;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Storage;

/// <summary>The durable record of every decision, and the account timelines the cadence rules read.</summary>
public interface IDecisionLog
{
    /// <summary>The account's posts scheduled in [<paramref name="windowStart"/>, <paramref name="windowEnd"/>].</summary>
    Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(string accountId, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken);

    /// <summary>Writes the decision and its timeline entry together, or neither.</summary>
    Task AppendAsync(DecisionResponse decision, TimelineEntry entry, CancellationToken cancellationToken);

    Task<DecisionResponse?> GetAsync(string accountId, string decisionId, CancellationToken cancellationToken);

    /// <summary>A page of the account's decisions, newest first.</summary>
    Task<DecisionPageResponse> ListAsync(string accountId, int pageSize, string? continuationToken, CancellationToken cancellationToken);
}

/// <summary>The decision log cannot be reached or did not answer in time; nothing may be assumed written.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A continuation token that this API did not issue.</summary>
public sealed class InvalidContinuationTokenException : Exception
{
    public InvalidContinuationTokenException()
    {
    }

    public InvalidContinuationTokenException(string message)
        : base(message)
    {
    }

    public InvalidContinuationTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
