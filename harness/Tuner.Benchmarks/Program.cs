using BenchmarkDotNet.Running;
using Tuner.Benchmarks;

// dotnet run -c Release --project harness/Tuner.Benchmarks -- overhead [--suite fashion-mlp] [--steps 400] [--rounds 7] [--threads 1]
// dotnet run -c Release --project harness/Tuner.Benchmarks -- load          (BenchmarkDotNet, in-process toolchain)
if (args.Length > 0 && args[0] == "overhead")
{
    return await OverheadBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "load")
{
    BenchmarkRunner.Run<DataLoadBenchmarks>(DataLoadBenchmarks.Config, args[1..]);
    return 0;
}

Console.Error.WriteLine("usage: Tuner.Benchmarks overhead [--suite S] [--steps N] [--rounds N] [--threads N] | load");
return 2;
