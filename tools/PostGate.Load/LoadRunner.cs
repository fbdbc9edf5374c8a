using System.Diagnostics;
using System.Globalization;
using Azure;

namespace PostGate.Load;

/// <summary>What one operation came to: null error for success; <c>Flagged</c> marks a success worth counting apart.</summary>
internal readonly record struct Outcome(string? Error, bool Flagged = false)
{
    public static readonly Outcome Ok = new(null);
}

/// <summary>
/// Runs an operation from N workers, each awaiting one at a time, for the warm-up and then the measured seconds.
/// Only operations that start inside the measured window are counted; latencies go into one preallocated array.
/// </summary>
internal static class LoadRunner
{
    /// <summary>Latency samples kept per measured second; beyond that operations are counted but not sampled.</summary>
    private const int SamplesPerSecond = 100_000;

    /// <summary>How long in-flight operations may run past the end before they are cancelled.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <param name="options">Connections, warm-up and measured seconds.</param>
    /// <param name="createOperation">Called once per worker, so each worker can keep its own buffers.</param>
    public static async Task<RunResult> RunAsync(LoadOptions options, Func<Func<long, CancellationToken, Task<Outcome>>> createOperation)
    {
        var frequency = (double)Stopwatch.Frequency;
        var samples = new int[options.Seconds * SamplesPerSecond];
        var workers = new Worker[options.Connections];
        var bySecond = new long[options.Seconds + (int)Grace.TotalSeconds + 1];
        long nextSequence = 0;
        long sampleCount = 0;

        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + (long)(options.Warmup * frequency);
        var measureUntil = measureFrom + (long)(options.Seconds * frequency);
        using var hardStop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Warmup + options.Seconds) + Grace);

        async Task WorkAsync(Worker worker)
        {
            var token = hardStop.Token;
            var operation = createOperation();
            while (!token.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                if (start >= measureUntil)
                {
                    break;
                }

                var sequence = Interlocked.Increment(ref nextSequence) - 1;
                Outcome outcome;
                try
                {
                    outcome = await operation(sequence, token);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    worker.Cancelled++;
                    break;
                }
                catch (Exception ex)
                {
                    outcome = new Outcome(ErrorKey(ex));
                }

                var stop = Stopwatch.GetTimestamp();
                if (start < measureFrom)
                {
                    worker.WarmupCount++;
                    continue;
                }

                worker.Count++;
                worker.LastStop = Math.Max(worker.LastStop, stop);
                Interlocked.Increment(ref bySecond[Math.Min(bySecond.Length - 1, (int)((stop - measureFrom) / frequency))]);
                if (outcome.Flagged)
                {
                    worker.Flagged++;
                }

                if (outcome.Error is { } error)
                {
                    worker.Errors[error] = worker.Errors.GetValueOrDefault(error) + 1;
                }

                var slot = Interlocked.Increment(ref sampleCount) - 1;
                if (slot < samples.Length)
                {
                    // NOTE: stored in units of 100 ns: an int holds 214 s, far beyond the hard stop.
                    samples[slot] = (int)Math.Min(int.MaxValue, (stop - start) * 10_000_000.0 / frequency);
                }
            }
        }

        var cpuAtMeasureFrom = TimeSpan.Zero;
        var cpuSampler = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Warmup));
            cpuAtMeasureFrom = CpuTime();
        });

        var tasks = new Task[workers.Length];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = new Worker();
            var worker = workers[i];
            tasks[i] = Task.Run(() => WorkAsync(worker));
        }

        await Task.WhenAll(tasks);
        await cpuSampler;
        var cpuAtEnd = CpuTime();

        var count = workers.Sum(w => w.Count);
        var lastStop = workers.Max(w => w.LastStop);
        var elapsed = count == 0 ? options.Seconds : (lastStop - measureFrom) / frequency;
        var kept = (int)Math.Min(Interlocked.Read(ref sampleCount), samples.Length);
        var latencies = samples.AsSpan(0, kept);
        latencies.Sort();

        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var worker in workers)
        {
            foreach (var (key, value) in worker.Errors)
            {
                errors[key] = errors.GetValueOrDefault(key) + value;
            }
        }

        return new RunResult
        {
            Mode = options.Mode,
            Label = options.Label,
            Connections = options.Connections,
            Seconds = Math.Round(elapsed, 3),
            WarmupSeconds = options.Warmup,
            WarmupRequests = workers.Sum(w => w.WarmupCount),
            Requests = count,
            Errors = errors.Values.Sum(),
            ErrorsByStatus = errors,
            Flagged = workers.Sum(w => w.Flagged),
            Cancelled = workers.Sum(w => w.Cancelled),
            PerSecond = Math.Round(count / elapsed, 1),
            MeanMs = kept == 0 ? 0 : Math.Round(Mean(latencies) / 10_000.0, 3),
            P50Ms = Percentile(latencies, 50),
            P90Ms = Percentile(latencies, 90),
            P99Ms = Percentile(latencies, 99),
            MaxMs = kept == 0 ? 0 : Math.Round(latencies[^1] / 10_000.0, 3),
            Samples = kept,
            CompletedBySecond = [.. bySecond.AsSpan(0, Math.Min(bySecond.Length, (int)Math.Ceiling(elapsed)))],
            ClientCpuPercent = Math.Round((cpuAtEnd - cpuAtMeasureFrom).TotalSeconds / elapsed * 100, 1),
            StartedAt = DateTimeOffset.UtcNow.AddSeconds(-(Stopwatch.GetTimestamp() - started) / frequency)
                .ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Nearest-rank percentile of sorted samples in 100 ns units, in milliseconds.</summary>
    internal static double Percentile(ReadOnlySpan<int> sorted, double percentile)
    {
        if (sorted.IsEmpty)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)] / 10_000.0, 3);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static double Mean(ReadOnlySpan<int> values)
    {
        double sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum / values.Length;
    }

    /// <summary>The status for a storage error, else the exception's type (a timeout shows as TaskCanceledException).</summary>
    private static string ErrorKey(Exception ex) => ex switch
    {
        RequestFailedException { Status: > 0 } failed => failed.Status.ToString(CultureInfo.InvariantCulture),
        HttpRequestException { HttpRequestError: var kind } => "HttpRequestException:" + kind,
        _ => ex.GetType().Name,
    };

    private sealed class Worker
    {
        public long Count;
        public long WarmupCount;
        public long Flagged;
        public long Cancelled;
        public long LastStop;
        public readonly Dictionary<string, long> Errors = new(StringComparer.Ordinal);
    }
}
