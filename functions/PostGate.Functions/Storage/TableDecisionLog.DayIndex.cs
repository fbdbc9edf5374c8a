using Azure.Data.Tables;

namespace PostGate.Functions.Storage;

/// <summary>
/// The day index, written by group commit: every check's index row must land before its decision's transaction, and
/// the rows of checks made meanwhile share one transaction per day partition, so under load the index costs a
/// fraction of a request per check instead of one.
/// </summary>
public sealed partial class TableDecisionLog
{
    /// <summary>The most rows one entity-group transaction may carry.</summary>
    public const int MaxTransactionRows = 100;

    private readonly Lock _indexGate = new();
    private List<QueuedIndexRow> _indexQueue = [];
    private bool _indexFlushing;

    private readonly record struct QueuedIndexRow(TableEntity Row, TaskCompletionSource Done);

    /// <summary>Upserts a decision's day-index row, together with the rows of other checks waiting at the same time.</summary>
    private Task WriteDayIndexAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_indexGate)
        {
            _indexQueue.Add(new QueuedIndexRow(row, done));
            start = !_indexFlushing;
            _indexFlushing = true;
        }

        if (start)
        {
            _ = Task.Run(FlushDayIndexAsync, CancellationToken.None);
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes what is queued; rows queued while a write is on its way go in the next one.</summary>
    private async Task FlushDayIndexAsync()
    {
        while (true)
        {
            List<QueuedIndexRow> batch;
            lock (_indexGate)
            {
                if (_indexQueue.Count == 0)
                {
                    _indexFlushing = false;
                    return;
                }

                batch = _indexQueue;
                _indexQueue = [];
            }

            foreach (var partition in batch.GroupBy(q => q.Row.PartitionKey, StringComparer.Ordinal))
            {
                foreach (var chunk in partition.Chunk(MaxTransactionRows))
                {
                    await WriteIndexRowsAsync(chunk);
                }
            }
        }
    }

    private async Task WriteIndexRowsAsync(QueuedIndexRow[] chunk)
    {
        // NOTE: a transaction refuses the same row twice; a decision made again while queued keeps its last row.
        var rows = chunk
            .GroupBy(q => q.Row.RowKey, StringComparer.Ordinal)
            .Select(g => g.Last().Row)
            .ToList();
        try
        {
            await RunAsync("day-index", async ct =>
            {
                if (rows.Count == 1)
                {
                    await _table.UpsertEntityAsync(rows[0], TableUpdateMode.Replace, ct);
                }
                else
                {
                    await _table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct);
                }

                return true;
            }, CancellationToken.None);
        }
#pragma warning disable CA1031 // Every waiting check gets the failure, whatever it is: none may go on as if indexed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var queued in chunk)
            {
                queued.Done.TrySetException(ex);
            }

            return;
        }

        foreach (var queued in chunk)
        {
            queued.Done.TrySetResult();
        }
    }
}
