using Azure;

namespace PostGate.Functions.Storage;

/// <summary>
/// The webhook outbox as the dispatcher sees it. Each delivery has an outbox row in the account's partition
/// (written with its review, the record of the delivery) and a queue row in <see cref="Keys.WebhookQueuePartition"/>
/// (written just before, the work list), so pending deliveries are found without scanning every account.
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>Queue entries due at <paramref name="now"/>: new ones, and claimed ones whose lease ran out.</summary>
    Task<IReadOnlyList<WebhookQueueItem>> ReadDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>The outbox row of a queue entry, or null when its review was never written.</summary>
    Task<WebhookDelivery?> GetDeliveryAsync(WebhookQueueItem item, CancellationToken cancellationToken);

    /// <summary>Takes the entry until <paramref name="leaseUntil"/>; false when another instance took it first.</summary>
    Task<bool> TryClaimAsync(WebhookQueueItem item, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Records that attempt number <paramref name="attempts"/> is about to be made, before it is made.</summary>
    Task RecordAttemptAsync(WebhookQueueItem item, int attempts, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks the outbox row delivered or failed and removes the queue entry.</summary>
    Task CompleteAsync(WebhookQueueItem item, DeliveryResult result, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes a queue entry whose outbox row is gone or already complete.</summary>
    Task RemoveAsync(WebhookQueueItem item, CancellationToken cancellationToken);
}

/// <summary>A queue entry: which outbox row to deliver, when the entry was made, and its ETag for claiming.</summary>
public sealed record WebhookQueueItem(string ReviewId, string AccountPartition, string OutboxRow, DateTimeOffset CreatedAt, ETag ETag);

/// <summary>An outbox row: where to post, the body to post, and how far delivery got.</summary>
public sealed record WebhookDelivery(string ReviewId, string DecisionId, string Url, string Body, string Status, int Attempts, string? LastResult = null);

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>Not sent and left pending: no signing secret is configured.</summary>
    public const string Skipped = "skipped";
}

/// <summary>How a round of delivery attempts ended.</summary>
public sealed record DeliveryResult(string Status, int Attempts, string? LastResult);
