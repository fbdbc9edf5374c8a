using Azure;
using Azure.Data.Tables;

namespace PostGate.Functions.Storage;

/// <summary>The webhook outbox: queue entries in <see cref="Keys.WebhookQueuePartition"/>, outbox rows beside the reviews.</summary>
public sealed partial class TableDecisionLog : IWebhookOutbox
{
    public async Task<IReadOnlyList<WebhookQueueItem>> ReadDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Keys.WebhookQueuePartition} and DueAt le {now}");
        return await RunAsync("webhooks-due", async ct =>
        {
            var items = new List<WebhookQueueItem>();
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: max, cancellationToken: ct))
            {
                items.Add(ReviewEntity.ToQueueItem(entity));
                if (items.Count >= max)
                {
                    break;
                }
            }

            return (IReadOnlyList<WebhookQueueItem>)items;
        }, cancellationToken);
    }

    public async Task<WebhookDelivery?> GetDeliveryAsync(WebhookQueueItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await RunAsync("webhook-read", async ct =>
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(item.AccountPartition, item.OutboxRow, cancellationToken: ct);
            return row.HasValue ? ReviewEntity.ToDelivery(row.Value!) : null;
        }, cancellationToken);
    }

    public async Task<bool> TryClaimAsync(WebhookQueueItem item, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return await RunAsync("webhook-claim", async ct =>
        {
            try
            {
                await _table.UpdateEntityAsync(new TableEntity(Keys.WebhookQueuePartition, item.ReviewId) { ["DueAt"] = leaseUntil }, item.ETag, TableUpdateMode.Merge, ct);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // NOTE: another instance claimed or finished it since it was read (or an earlier attempt of this
                // claim landed unseen; then the lease runs out and the entry comes back).
                return false;
            }
        }, cancellationToken);
    }

    public async Task RecordAttemptAsync(WebhookQueueItem item, int attempts, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await RunAsync("webhook-attempt", async ct =>
        {
            await _table.UpdateEntityAsync(
                new TableEntity(item.AccountPartition, item.OutboxRow) { ["Attempts"] = attempts, ["LastAttemptAt"] = at },
                ETag.All,
                TableUpdateMode.Merge,
                ct);
            return true;
        }, cancellationToken);
    }

    public async Task CompleteAsync(WebhookQueueItem item, DeliveryResult result, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(result);
        await RunAsync("webhook-complete", async ct =>
        {
            await _table.UpdateEntityAsync(
                new TableEntity(item.AccountPartition, item.OutboxRow)
                {
                    ["Status"] = result.Status,
                    ["Attempts"] = result.Attempts,
                    ["LastResult"] = result.LastResult,
                    ["CompletedAt"] = at,
                },
                ETag.All,
                TableUpdateMode.Merge,
                ct);
            await DeleteQueueEntryAsync(item.ReviewId, ct);
            return true;
        }, cancellationToken);
    }

    public async Task RemoveAsync(WebhookQueueItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await RunAsync("webhook-remove", async ct =>
        {
            await DeleteQueueEntryAsync(item.ReviewId, ct);
            return true;
        }, cancellationToken);
    }

    private async Task DeleteQueueEntryAsync(string reviewId, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(Keys.WebhookQueuePartition, reviewId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: a retried delete, or another instance finished first.
        }
    }
}
