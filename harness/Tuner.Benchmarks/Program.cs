using BenchmarkDotNet.Running;
using Tuner.Benchmarks;
using Tuner.Benchmarks.Hooks;
using Tuner.Benchmarks.SearchEfficiency;
using Tuner.Benchmarks.Workers;

// dotnet run -c Release --project harness/Tuner.Benchmarks -- overhead [--suite fashion-mlp] [--steps 400] [--rounds 7] [--threads 1]
// dotnet run -c Release --project harness/Tuner.Benchmarks -- load          (BenchmarkDotNet, in-process toolchain)
// dotnet run -c Release --project harness/Tuner.Benchmarks -- search-efficiency --truth results/baselines/search-efficiency/fashion-mlp-grid.jsonl --space results/baselines/search-efficiency/fashion-mlp-space.json --seeds 10
// dotnet run -c Release --project harness/Tuner.Benchmarks -- workers [--postgres URL] [--trials 8]   (process vs in-process, store claims/s, search with 1 and 2 workers)
// dotnet run -c Release --project harness/Tuner.Benchmarks -- hooks [--techniques a,b] [BenchmarkDotNet args, e.g. --filter *EngineStep*]   (engine vs bare loop per batch, each technique's per-step cost)
if (args.Length > 0 && args[0] == "overhead")
{
    return await OverheadBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "load")
{
    BenchmarkRunner.Run<DataLoadBenchmarks>(DataLoadBenchmarks.Config, args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "search-efficiency")
{
    return await SearchEfficiencyBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "workers")
{
    return await WorkersBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "hooks")
{
    return HooksCommand.Run(args[1..]);
}

Console.Error.WriteLine("usage: Tuner.Benchmarks overhead [--suite S] [--steps N] [--rounds N] [--threads N] | load | " + SearchEfficiencyBenchmark.Usage + " | " + WorkersBenchmark.Usage + " | " + HooksCommand.Usage);
return 2;
