using System.Globalization;
using BenchmarkDotNet.Running;

// NOTE: `--stopwatch [rounds]` times the EvaluateBenchmarks cases in this process (see StopwatchRun); anything else
// goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--stopwatch")
{
    PostGate.Bench.StopwatchRun.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 201);
    return;
}

if (args.Length > 0 && args[0] == "--pair")
{
    // NOTE: `--pair firstBinDir secondBinDir length timeline seconds [Evaluate|EvaluateAndRespond] [secondTimeline]` (see PairRun).
    PostGate.Bench.PairRun.Run(
        args[1],
        args[2],
        int.Parse(args[3], CultureInfo.InvariantCulture),
        args[4],
        double.Parse(args[5], CultureInfo.InvariantCulture),
        args.Length > 6 ? args[6] : nameof(PostGate.Bench.EvaluateBenchmarks.Evaluate),
        args.Length > 7 ? args[7] : null);
    return;
}

if (args.Length > 0 && args[0] == "--loop")
{
    // NOTE: `--loop length timeline seconds` calls Evaluate on one case for a while, for a sampling profiler; the
    // timeline is written as EvaluateBenchmarks.Timeline takes it (none, 200, "200 indexed").
    var bench = new PostGate.Bench.EvaluateBenchmarks
    {
        Length = int.Parse(args[1], CultureInfo.InvariantCulture),
        Timeline = args[2],
    };
    bench.Setup();
    var until = DateTime.UtcNow.AddSeconds(double.Parse(args[3], CultureInfo.InvariantCulture));
    var calls = 0L;
    while (DateTime.UtcNow < until)
    {
        for (var i = 0; i < 1000; i++)
        {
            bench.Evaluate();
        }

        calls += 1000;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{calls:N0} calls"));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PostGate.Bench.EvaluateBenchmarks).Assembly).Run(args);
