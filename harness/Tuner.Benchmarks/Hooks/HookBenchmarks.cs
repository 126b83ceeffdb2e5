using BenchmarkDotNet.Attributes;
using Tuner.Techniques;
using Tuner.Training.Engine;

namespace Tuner.Benchmarks.Hooks;

/// <summary>
/// Per-step cost of each technique: <see cref="HookSuites.StepsPerRun"/> training steps through the engine with the
/// technique (contract settings) against the same steps on the same suite with no technique (the baseline, measured
/// next to it, so the Ratio column is the technique's cost relative to a plain step). One invocation is one whole run
/// from model construction to the one evaluation at its end, one epoch of fashion-mlp, so work a technique does once per
/// run (FitStart) or once per epoch (curriculum's and data pruning's scoring passes) is spread over the steps as in a
/// real epoch. What a technique changes about a step is part of its cost: sam runs two forward/backward passes,
/// batch_size and large_batch change the rows per step, model_scaling the model, threads the torch thread count.
/// Cases on a cnn suite are in <see cref="CnnHookBenchmarks"/>.
/// </summary>
public class HookBenchmarks
{
    private LoadedSuite _suite = null!;

    /// <summary>The technique and its suite (see <see cref="HookCatalog"/>).</summary>
    [ParamsSource(nameof(Cases))]
    public HookCase Case { get; set; } = null!;

    public static IEnumerable<HookCase> Cases() => HookCatalog.Cases.Where(c => !c.OnCnn);

    [GlobalSetup]
    public void Setup() => _suite = HookSuites.Get(Case.Suite);

    [Benchmark(Baseline = true, OperationsPerInvoke = HookSuites.StepsPerRun, Description = "no technique")]
    public long NoTechnique() => HookRuns.Plain(_suite, HookSuites.StepsPerRun);

    [Benchmark(OperationsPerInvoke = HookSuites.StepsPerRun, Description = "with technique")]
    public long WithTechnique() => HookRuns.With(Case, _suite, HookSuites.StepsPerRun);
}

/// <summary>
/// <see cref="HookBenchmarks"/> for the cases on a cnn suite (fashion-cnn: ~25 ms a step on one thread, 12x an MLP
/// step), with <see cref="HookSuites.CnnStepsPerRun"/> steps per invocation so that each case takes seconds, not minutes.
/// OperationsPerInvoke is a constant of the benchmark method, hence a second class. None of the techniques measured on
/// the cnn does per-epoch work; one that did would be charged it once per <see cref="HookSuites.CnnStepsPerRun"/> steps.
/// </summary>
public class CnnHookBenchmarks
{
    private LoadedSuite _suite = null!;

    /// <summary>The technique on its cnn suite.</summary>
    [ParamsSource(nameof(Cases))]
    public HookCase Case { get; set; } = null!;

    public static IEnumerable<HookCase> Cases() => HookCatalog.Cases.Where(c => c.OnCnn);

    [GlobalSetup]
    public void Setup() => _suite = HookSuites.Get(Case.Suite);

    [Benchmark(Baseline = true, OperationsPerInvoke = HookSuites.CnnStepsPerRun, Description = "no technique")]
    public long NoTechnique() => HookRuns.Plain(_suite, HookSuites.CnnStepsPerRun);

    [Benchmark(OperationsPerInvoke = HookSuites.CnnStepsPerRun, Description = "with technique")]
    public long WithTechnique() => HookRuns.With(Case, _suite, HookSuites.CnnStepsPerRun);
}

/// <summary>The two runs every hook case compares.</summary>
internal static class HookRuns
{
    /// <summary>A run with no technique.</summary>
    public static long Plain(LoadedSuite suite, int steps) =>
        HookSuites.RunChecked(HookSuites.Request(suite, [], [], steps), $"no technique on {suite.Spec.Name}");

    /// <summary>A run with a fresh instance of the case's technique (techniques keep per-run state).</summary>
    public static long With(HookCase hook, LoadedSuite suite, int steps)
    {
        ITechnique technique = TechniqueRegistry.Create(hook.Spec);
        try
        {
            return HookSuites.RunChecked(HookSuites.Request(suite, [hook.Spec], [technique], steps), hook.ToString());
        }
        finally
        {
            (technique as IDisposable)?.Dispose();
        }
    }
}
