using PostGate.Functions.Contracts;
using PostGate.Rules.Engine;

namespace PostGate.Functions.Storage;

/// <summary>The durable record of every decision, and the account timelines the cadence rules read.</summary>
public interface IDecisionLog
{
    /// <summary>The account's posts scheduled in [<paramref name="windowStart"/>, <paramref name="windowEnd"/>].</summary>
    Task<IReadOnlyList<TimelineEntry>> ReadTimelineAsync(string accountId, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken);

    /// <summary>
    /// Gives <paramref name="use"/> the posts <see cref="ReadTimelineAsync"/> would return and returns what it made of
    /// them. The posts may be read only while <paramref name="use"/> runs (the table log lends its cache of the
    /// account); copy them to keep them.
    /// </summary>
    Task<T> UseTimelineAsync<T>(string accountId, DateTimeOffset windowStart, DateTimeOffset windowEnd, Func<IReadOnlyList<TimelineEntry>, T> use, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the decision, its timeline entry (replacing the draft's earlier one), the draft and idempotency index
    /// rows and the new chain head in one transaction, or nothing. When the idempotency key was already used, the
    /// earlier decision comes back instead.
    /// </summary>
    Task<AppendResult> AppendAsync(DecisionResponse decision, TimelineEntry entry, IdempotencyKey? idempotency, CancellationToken cancellationToken);

    /// <summary>
    /// Decides and logs one check: <paramref name="decide"/> gets the account's posts scheduled in the window as of
    /// the chain head the decision will extend, and is called again if another writer moves the head first. The
    /// decision is written as <see cref="AppendAsync"/> writes it; when the idempotency key was already used, the
    /// earlier decision comes back instead. The posts may be read only while <paramref name="decide"/> runs (the
    /// table log lends its cache of the account); copy them to keep them.
    /// </summary>
    Task<AppendResult> DecideAsync(string accountId, DateTimeOffset windowStart, DateTimeOffset windowEnd, IdempotencyKey? idempotency, Func<IReadOnlyList<TimelineEntry>, Decided> decide, CancellationToken cancellationToken);

    /// <summary>The decision an idempotency key produced, with the hash of the body that produced it.</summary>
    Task<IdempotentDecision?> FindIdempotentAsync(string accountId, string key, CancellationToken cancellationToken);

    /// <summary>Walks the account's hash chain from the first decision and reports the first broken link.</summary>
    Task<ChainReport> VerifyAsync(string accountId, CancellationToken cancellationToken);

    Task<DecisionResponse?> GetAsync(string accountId, string decisionId, CancellationToken cancellationToken);

    /// <summary>
    /// A page of decisions matching the query, newest first: one account's partition, or every account through the
    /// day index. A page may hold fewer items than asked for; continue while a continuation token comes back.
    /// </summary>
    Task<DecisionPageResponse> ListAsync(DecisionQuery query, CancellationToken cancellationToken);
}

/// <summary>What a check decided: the decision to log and the draft's entry in the account's timeline.</summary>
public sealed record Decided(DecisionResponse Decision, TimelineEntry Entry);

/// <summary>An idempotency key and the SHA-256 of the request body it came with.</summary>
public sealed record IdempotencyKey(string Key, string BodyHash);

/// <summary>A decision found by its idempotency key.</summary>
public sealed record IdempotentDecision(DecisionResponse Decision, string BodyHash);

public enum AppendOutcome
{
    /// <summary>The decision was written.</summary>
    Logged,

    /// <summary>The idempotency key had already produced a decision with the same body: that one is returned.</summary>
    Replayed,

    /// <summary>The idempotency key had already been used with a different body.</summary>
    KeyReused,
}

/// <summary>What an append did, and the decision that is in the log for the request.</summary>
public sealed record AppendResult(AppendOutcome Outcome, DecisionResponse Decision);

/// <summary>The result of walking an account's hash chain.</summary>
public sealed record ChainReport(
    string AccountId,
    bool Intact,
    long Decisions,
    string? HeadHash,
    ChainBreak? FirstBreak);

/// <summary>Where the chain first breaks and why.</summary>
public sealed record ChainBreak(long Sequence, string? DecisionId, string Reason);

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
