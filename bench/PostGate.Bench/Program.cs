using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(PostGate.Bench.EvaluateBenchmarks).Assembly).Run(args);
