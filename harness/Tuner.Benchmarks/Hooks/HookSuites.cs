using Tuner.Core.Configuration;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Suites.Specs;
using Tuner.Training.Data;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using Tuner.Training.Runtime;
using CoreBudget = Tuner.Core.Budgets.Budget;
using Tuner.Training.Workloads;

namespace Tuner.Benchmarks.Hooks;

/// <summary>A built-in suite's data, loaded once per process, and the held-out rows the benchmarks evaluate on.</summary>
/// <param name="Spec">The suite.</param>
/// <param name="Data">Its train and held-out splits.</param>
/// <param name="Eval">The first <see cref="HookSuites.EvalRows"/> held-out rows: the one evaluation at the end of each run stays small.</param>
public sealed record LoadedSuite(SuiteSpec Spec, WorkloadData Data, TensorDataset Eval);

/// <summary>
/// Suite data for the hook and engine benchmarks, loaded once per process (the in-process toolchain runs every case in
/// this process), and the training requests they run: the suite's baseline recipe, a budget of a fixed number of steps,
/// evaluation only at the end and on <see cref="EvalRows"/> rows, seed 1, target 1.0 and no stop at the target, so every
/// run does the same steps.
/// </summary>
public static class HookSuites
{
    /// <summary>Steps per benchmark invocation: one epoch of the Fashion-MNIST suites (60,000 rows / batch 128), about 10 epochs of digits.</summary>
    public const int StepsPerRun = 469;

    /// <summary>Steps per invocation on a cnn suite (a step costs ~25 ms there): about 1 s per run.</summary>
    public const int CnnStepsPerRun = 40;

    /// <summary>Held-out rows evaluated at the end of each run (one evaluation batch).</summary>
    public const int EvalRows = 512;

    private static readonly Dictionary<string, LoadedSuite> Loaded = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>The named built-in suite with its data (fetched into the data cache if missing); one torch thread.</summary>
    public static LoadedSuite Get(string suiteName)
    {
        lock (Gate)
        {
            TorchRuntime.SetThreads(1);
            if (Loaded.TryGetValue(suiteName, out LoadedSuite? loaded))
            {
                return loaded;
            }

            SuiteSpec spec = SuiteCatalog.Resolve(suiteName);
            WorkloadData data = SuiteDataLoader.LoadAsync(spec, new DataStore(DataStore.DefaultRoot(null)), null, CancellationToken.None).GetAwaiter().GetResult();
            long rows = Math.Min(EvalRows, data.Validation.Count);
            using var scope = TorchSharp.torch.NewDisposeScope();
            var eval = new TensorDataset(data.Validation.Features.narrow(0, 0, rows), data.Validation.Labels.narrow(0, 0, rows), data.Validation.ClassCount, data.Validation.Scale, data.Validation.Shift);
            loaded = new LoadedSuite(spec, data, eval);
            Loaded[suiteName] = loaded;
            return loaded;
        }
    }

    /// <summary>
    /// A run of <paramref name="steps"/> steps on <paramref name="suite"/> with <paramref name="techniques"/>, built as the
    /// in-process trial runner builds it (model transforms applied, the suite's flip policy).
    /// </summary>
    public static TrainingRequest Request(LoadedSuite suite, IReadOnlyList<TechniqueSpec> specs, IReadOnlyList<ITechnique> techniques, int steps = StepsPerRun)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ModelSpec model = techniques.OfType<IModelTransform>().Aggregate(suite.Spec.DescribedModel, (spec, transform) => transform.Transform(spec));
        TensorDataset train = suite.Data.Train;
        return new TrainingRequest
        {
            ModelFactory = () => ModelFactory.Create(model, train.SampleShape, train.ClassCount),
            Train = train,
            Eval = suite.Eval,
            Configuration = Configuration(suite) with { Techniques = specs },
            Budget = CoreBudget.Steps(steps),
            Target = suite.Spec.Target with { Value = 1.0 },
            Seed = 1,
            Techniques = [.. techniques],
            AllowsHorizontalFlip = suite.Spec.AllowsHorizontalFlip,
            Facts = suite.Spec.Facts,
            StopAtTarget = false,
            EvalBatchSize = EvalRows,
        };
    }

    /// <summary>The suite's baseline recipe, evaluating only at the end of the run.</summary>
    public static TrainingConfiguration Configuration(LoadedSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return suite.Spec.Baseline with { EvalEverySamples = long.MaxValue };
    }

    /// <summary>Runs <paramref name="request"/> and checks that it trained all its steps (a failed or diverged run is an error, not a fast case).</summary>
    public static long RunChecked(TrainingRequest request, string what)
    {
        ArgumentNullException.ThrowIfNull(request);
        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);
        long expected = (long)request.Budget.Amount;
        if (outcome.Steps != expected || outcome.Status is Core.Trials.TrialStatus.Failed or Core.Trials.TrialStatus.Diverged)
        {
            throw new InvalidOperationException($"{what}: {outcome.Status} after {outcome.Steps} of {expected} steps{(outcome.FailureReason is null ? string.Empty : ": " + outcome.FailureReason)}");
        }

        return outcome.Steps;
    }
}
