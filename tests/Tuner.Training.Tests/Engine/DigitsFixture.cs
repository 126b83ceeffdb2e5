using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Training.Models;
using Tuner.Suites.Specs;
using Tuner.Training.Engine;
using Tuner.Training.Workloads;

namespace Tuner.Training.Tests.Engine;

/// <summary>The real digits-mlp suite data (fetched into the data cache on first use), loaded once per test class.</summary>
public sealed class DigitsFixture : IDisposable
{
    public DigitsFixture()
    {
        TorchSharp.torch.set_num_threads(1);
        Suite = SuiteCatalog.Resolve("digits-mlp");
        Data = SuiteDataLoader.LoadAsync(Suite, new DataStore(DataStore.DefaultRoot(null)), null, CancellationToken.None).GetAwaiter().GetResult();
    }

    public SuiteSpec Suite { get; }

    public WorkloadData Data { get; }

    public TrainingRequest Request(Budget budget, long seed = 1, double target = 0.97, TrainingConfiguration? configuration = null, params ITechnique[] techniques) => new()
    {
        ModelFactory = () => ModelFactory.Create(Suite.DescribedModel, Data.Train.SampleShape, Data.Train.ClassCount),
        Train = Data.Train,
        Eval = Data.Validation,
        Test = Data.Test,
        Configuration = configuration ?? Suite.Baseline,
        Budget = budget,
        Target = Suite.Target with { Value = target },
        Seed = seed,
        Techniques = techniques,
    };

    public void Dispose() => Data.Dispose();
}
