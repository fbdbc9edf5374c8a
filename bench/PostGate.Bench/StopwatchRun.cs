using System.Diagnostics;
using System.Globalization;

namespace PostGate.Bench;

/// <summary>
/// The EvaluateBenchmarks cases timed back to back in one process with a Stopwatch: after a warm-up of every case and
/// another of the case itself, rounds of calls,
/// the time per call of each round; prints the minimum, tenth percentile and median, and the bytes allocated per call
/// (this thread's count over the rounds). Steadier than
/// BenchmarkDotNet's means on a shared machine, where a busy moment moves a mean but seldom a minimum.
/// </summary>
internal static class StopwatchRun
{
    public static void Run(int rounds)
    {
        var cases = new List<(int Length, string Timeline, EvaluateBenchmarks Bench)>();
        foreach (var length in (int[])[280, 3000])
        {
            foreach (var timeline in (string[])["none", "200", "200 indexed"])
            {
                var bench = new EvaluateBenchmarks { Length = length, Timeline = timeline };
                bench.Setup();
                cases.Add((length, timeline, bench));
            }
        }

        // NOTE: every case runs for a while before any is timed, so the code the runtime recompiles for the later
        // cases (and the background compilation itself) is settled before the first case's rounds are taken.
        foreach (var (_, _, bench) in cases)
        {
            Warm(() => bench.Evaluate());
            Warm(() => bench.EvaluateAndRespond());
        }

        Console.WriteLine("| text | timeline | measurement | min | p10 | median | allocated per call |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|");
        foreach (var (length, timeline, bench) in cases)
        {
            var calls = length <= 280 ? 200 : 30;
            Report(length, timeline, "Evaluate", Time(() => bench.Evaluate(), calls, rounds));
            Report(length, timeline, "Evaluate + response", Time(() => bench.EvaluateAndRespond(), calls, rounds));
        }
    }

    private static void Warm<T>(Func<T> call)
    {
        var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            call();
        }
    }

    private static (double[] Sorted, long Bytes) Time<T>(Func<T> call, int calls, int rounds)
    {
        Warm(call);

        var perCall = new double[rounds];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < rounds; round++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < calls; i++)
            {
                call();
            }

            perCall[round] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
        }

        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / ((long)calls * rounds);
        Array.Sort(perCall);
        return (perCall, bytes);
    }

    private static void Report(int length, string timeline, string measurement, (double[] Sorted, long Bytes) timed) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {length:N0} chars | {(timeline == "none" ? "none" : timeline.Replace("200", "200 entries", StringComparison.Ordinal))} | {measurement} | {timed.Sorted[0]:F1} µs | {timed.Sorted[timed.Sorted.Length / 10]:F1} µs | {timed.Sorted[timed.Sorted.Length / 2]:F1} µs | {timed.Bytes:N0} B |"));
}
