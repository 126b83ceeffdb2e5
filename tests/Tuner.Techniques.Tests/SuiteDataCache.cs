using Tuner.Core.Configuration;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Suites.Specs;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using CoreBudget = Tuner.Core.Budgets.Budget;
using Tuner.Training.Workloads;

namespace Tuner.Techniques.Tests;

/// <summary>Real suite data (digits-mlp, digits-resmlp, fashion-cnn, ...) loaded once per test class, by suite name.</summary>
public sealed class SuiteDataCache : IDisposable
{
    private readonly Dictionary<string, (SuiteSpec Suite, WorkloadData Data)> _loaded = new(StringComparer.Ordinal);

    public SuiteDataCache() => TorchSharp.torch.set_num_threads(1);

    public (SuiteSpec Suite, WorkloadData Data) Get(string suiteName)
    {
        if (!_loaded.TryGetValue(suiteName, out var entry))
        {
            SuiteSpec suite = TestSuites.Resolve(suiteName);
            WorkloadData data = SuiteDataLoader.LoadAsync(suite, new DataStore(DataStore.DefaultRoot(null)), null, CancellationToken.None).GetAwaiter().GetResult();
            entry = (suite, data);
            _loaded[suiteName] = entry;
        }

        return entry;
    }

    /// <summary>A request on the named suite as the runner builds it: model transforms applied, the suite's flip policy and facts, target 1.0 (never reached).</summary>
    public TrainingRequest Request(string suiteName, CoreBudget budget, IReadOnlyList<ITechnique> techniques, long seed = 1, TrainingConfiguration? configuration = null, IReadOnlyList<ITrainingObserver>? observers = null)
    {
        (SuiteSpec suite, WorkloadData data) = Get(suiteName);
        ModelSpec spec = techniques.OfType<IModelTransform>().Aggregate(suite.DescribedModel, (s, t) => t.Transform(s));
        return new TrainingRequest
        {
            ModelFactory = () => ModelFactory.Create(spec, data.Train.SampleShape, data.Train.ClassCount),
            Train = data.Train,
            Eval = data.Validation,
            Test = data.Test,
            Configuration = configuration ?? suite.Baseline,
            Budget = budget,
            Target = suite.Target.Unreachable,
            Seed = seed,
            Techniques = techniques,
            AllowsHorizontalFlip = suite.AllowsHorizontalFlip,
            Facts = suite.Facts,
            Observers = observers ?? [],
            EvalBatchSize = 512,
        };
    }

    public void Dispose()
    {
        foreach ((_, WorkloadData data) in _loaded.Values)
        {
            data.Dispose();
        }
    }
}
