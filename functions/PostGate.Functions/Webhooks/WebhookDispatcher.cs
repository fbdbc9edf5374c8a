using Microsoft.Extensions.Options;
using PostGate.Functions.Storage;

namespace PostGate.Functions.Webhooks;

/// <summary>
/// Delivers pending webhooks from the outbox: when a review signals one, and every
/// <see cref="WebhookOptions.PollInterval"/> for those left over (retries after a restart, a crash mid-round, or an
/// instance that was frozen). Each entry is claimed with its ETag before delivery, so two instances do not post it twice.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    /// <summary>Queue entries read per round.</summary>
    public const int BatchSize = 32;

    /// <summary>Deliveries in flight at once.</summary>
    public const int Parallelism = 4;

    /// <summary>
    /// How old a queue entry without an outbox row must be before it is dropped: its review's transaction failed
    /// or never ran. Younger ones may belong to a transaction still under way.
    /// </summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(2);

    private readonly IWebhookOutbox _outbox;
    private readonly WebhookSender _sender;
    private readonly WebhookSignal _signal;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;

    public WebhookDispatcher(
        IWebhookOutbox outbox,
        WebhookSender sender,
        WebhookSignal signal,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        ILogger<WebhookDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _sender = sender;
        _signal = signal;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            Log.WebhooksOff(_logger);
            return;
        }

        // NOTE: the host waits for ExecuteAsync to yield before it starts serving; the first round must not hold start-up.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // NOTE: a failing round must not stop the host; the entries stay queued for the next one.
                Log.WebhookRoundFailed(_logger, ex);
            }

            await _signal.WaitAsync(_options.PollInterval, _time, stoppingToken);
        }
    }

    /// <summary>Delivers what is due now; returns how many entries were looked at.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = await _outbox.ReadDueAsync(_time.GetUtcNow(), BatchSize, cancellationToken);
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (item, ct) => await DeliverAsync(item, ct));
        return due.Count;
    }

    private async Task DeliverAsync(WebhookQueueItem item, CancellationToken cancellationToken)
    {
        try
        {
            var delivery = await _outbox.GetDeliveryAsync(item, cancellationToken);
            if (delivery is null)
            {
                if (_time.GetUtcNow() - item.CreatedAt > OrphanAge)
                {
                    Log.WebhookOrphanDropped(_logger, item.ReviewId);
                    await _outbox.RemoveAsync(item, cancellationToken);
                }

                return;
            }

            if (delivery.Status != DeliveryStatus.Pending)
            {
                await _outbox.RemoveAsync(item, cancellationToken);
                return;
            }

            if (!await _outbox.TryClaimAsync(item, _time.GetUtcNow() + _options.Lease, cancellationToken))
            {
                return;
            }

            var result = await _sender.DeliverAsync(
                delivery,
                (attempts, ct) => _outbox.RecordAttemptAsync(item, attempts, _time.GetUtcNow(), ct),
                cancellationToken);
            if (result.Status != DeliveryStatus.Skipped)
            {
                await _outbox.CompleteAsync(item, result, _time.GetUtcNow(), cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // NOTE: the entry stays queued (claimed entries come back when their lease runs out).
            Log.WebhookDeliveryFailed(_logger, item.ReviewId, ex);
        }
    }
}
