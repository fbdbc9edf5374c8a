using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.Loader;

namespace PostGate.Bench;

/// <summary>
/// Two builds of the bench side by side in one process: each build's <c>PostGate.Bench.dll</c> (and the rules library
/// beside it) in a load context of its own, then alternate rounds of calls to one EvaluateBenchmarks case, so both
/// meet the machine in the same moments. Prints each build's median and minimum time per call and the median ratio
/// of neighbouring rounds (second build over first), the figure that a shared machine's swings do not move. Given a
/// second timeline, the second build runs on it: one build against itself compares two timelines the same way.
/// </summary>
internal static class PairRun
{
    public static void Run(string first, string second, int length, string timeline, double seconds, string method, string? secondTimeline = null)
    {
        var calls = length <= 280 ? 200 : 20;
        var builds = new[] { Load(first, length, timeline, method), Load(second, length, secondTimeline ?? timeline, method) };
        long sink = 0;
        foreach (var build in builds)
        {
            var warmUntil = Stopwatch.GetTimestamp() + (3 * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < warmUntil)
            {
                sink += build();
            }
        }

        var times = new[] { new List<double>(), new List<double>() };
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            for (var which = 0; which < builds.Length; which++)
            {
                var build = builds[which];
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < calls; i++)
                {
                    sink += build();
                }

                times[which].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls);
            }
        }

        var ratios = times[0].Zip(times[1], (a, b) => b / a).Order().ToArray();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{method}, {length:N0} chars, timeline {timeline}{(secondTimeline is null ? "" : $" / {secondTimeline}")}, {ratios.Length} round pairs: first median {Median(times[0]):F2} µs (min {times[0].Min():F2}), second median {Median(times[1]):F2} µs (min {times[1].Min():F2}); second / first: median {ratios[ratios.Length / 2]:F3}, quartiles {ratios[ratios.Length / 4]:F3}–{ratios[3 * ratios.Length / 4]:F3} ({sink & 1})"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>
    /// A build's own assemblies, looked up beside its bench first: the running bench has the rules library loaded
    /// too, and without this both builds would share that one.
    /// </summary>
    private sealed class BuildContext(string main) : AssemblyLoadContext(main)
    {
        private readonly AssemblyDependencyResolver _resolver = new(main);

        protected override System.Reflection.Assembly? Load(System.Reflection.AssemblyName assemblyName) =>
            _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>A call of <paramref name="method"/> on a set-up EvaluateBenchmarks of the build in <paramref name="directory"/>.</summary>
    private static Func<int> Load(string directory, int length, string timeline, string method)
    {
        var main = Path.GetFullPath(Path.Combine(directory, "PostGate.Bench.dll"));
        var context = new BuildContext(main);
        var type = context.LoadFromAssemblyPath(main).GetType(typeof(EvaluateBenchmarks).FullName!)!;
        var bench = Activator.CreateInstance(type)!;
        type.GetProperty(nameof(EvaluateBenchmarks.Length))!.SetValue(bench, length);
        // NOTE: builds from before the timeline was a text ("none", "200", "200 indexed") take the number of entries.
        if (type.GetProperty(nameof(EvaluateBenchmarks.Timeline)) is { } named)
        {
            named.SetValue(bench, timeline);
        }
        else
        {
            var entries = timeline == "none" ? 0 : int.Parse(timeline, System.Globalization.CultureInfo.InvariantCulture);
            type.GetProperty("TimelineEntries")!.SetValue(bench, entries);
        }

        type.GetMethod(nameof(EvaluateBenchmarks.Setup))!.Invoke(bench, null);

        // NOTE: a compiled expression calls the method directly; reflection's invoke would cost more than a 280-character evaluation.
        var call = Expression.Call(Expression.Constant(bench), type.GetMethod(method)!);
        return Expression.Lambda<Func<int>>(Expression.Convert(call, typeof(int))).Compile();
    }
}
