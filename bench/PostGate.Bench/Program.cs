using System.Globalization;
using BenchmarkDotNet.Running;

// NOTE: `--stopwatch [rounds]` times the EvaluateBenchmarks cases in this process (see StopwatchRun); anything else
// goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--stopwatch")
{
    PostGate.Bench.StopwatchRun.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 201);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PostGate.Bench.EvaluateBenchmarks).Assembly).Run(args);
