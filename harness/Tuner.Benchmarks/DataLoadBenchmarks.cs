using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Training.Workloads;

namespace Tuner.Benchmarks;

/// <summary>Reading all 70k Fashion-MNIST images (IDX gz) into normalised float tensors. Goal: under 1 s.</summary>
[MemoryDiagnoser]
public class DataLoadBenchmarks
{
    public static readonly IConfig Config = DefaultConfig.Instance
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(1).WithIterationCount(5))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);

    private IReadOnlyDictionary<string, string> _files = new Dictionary<string, string>();

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(1);
        var store = new DataStore(DataStore.DefaultRoot(null));
        _files = store.EnsureAsync(KnownDatasets.FashionMnist, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "Fashion-MNIST 70k images -> tensors")]
    public long LoadFashionMnist()
    {
        using WorkloadData data = SuiteDataLoader.FromIdx(
            _files["train-images-idx3-ubyte.gz"], _files["train-labels-idx1-ubyte.gz"],
            _files["t10k-images-idx3-ubyte.gz"], _files["t10k-labels-idx1-ubyte.gz"], new Suites.Specs.DataSpec { Dataset = "fashion-mnist", ValidationFraction = 0.1 });
        return data.Train.Count + data.Validation.Count + data.Test.Count;
    }
}
