using Tuner.Core.Configuration;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Training.Models;
using Tuner.Suites.Specs;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;
using Tuner.Training.Workloads;

namespace Tuner.Techniques.Tests;

/// <summary>The real digits-mlp suite data from the data cache, loaded once per test class.</summary>
public sealed class DigitsFixture : IDisposable
{
    public DigitsFixture()
    {
        TorchSharp.torch.set_num_threads(1);
        Suite = TestSuites.Resolve("digits-mlp");
        Data = SuiteDataLoader.LoadAsync(Suite, new DataStore(DataStore.DefaultRoot(null)), null, CancellationToken.None).GetAwaiter().GetResult();
    }

    public SuiteSpec Suite { get; }

    public WorkloadData Data { get; }

    /// <summary>The suite's baseline learning rate (SGD, 0.01).</summary>
    public double BaseLearningRate => Suite.Baseline.LearningRate;

    /// <summary>A request on digits-mlp; the default target (1.0) is never reached, so the run uses the whole budget.</summary>
    public TrainingRequest Request(CoreBudget budget, long seed = 1, double target = 1.0, TrainingConfiguration? configuration = null, params ITechnique[] techniques) => new()
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
