using BenchmarkDotNet.Attributes;
using TorchSharp;
using Tuner.Core.Configuration;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using Tuner.Training.Optimizers;
using static TorchSharp.torch;

namespace Tuner.Benchmarks.Hooks;

/// <summary>
/// The engine's per-batch overhead: <see cref="HookSuites.StepsPerRun"/> training steps (forward, loss, backward,
/// optimizer step) through <see cref="BudgetedTrainer"/> against the same steps written as a bare TorchSharp loop on the
/// same model, seed, batches and optimizer. The engine runs a whole training run per call (its public API has no
/// single-step entry), so one invocation on both sides is a run: build the model and optimizer, train the steps,
/// evaluate once on <see cref="HookSuites.EvalRows"/> held-out rows. Time is per step; the difference between the two
/// rows is the engine's overhead per batch (budget checks, events, dispose scopes, the loss read for the divergence
/// check) plus its per-run setup spread over the steps. A third row adds one hook that matches every event and does
/// nothing: the cost of the hook machinery itself (Matches, Apply and the trace count, on every event of every step).
/// </summary>
[MemoryDiagnoser]
[IterationCount(15)]
public class EngineStepBenchmarks
{
    private LoadedSuite _suite = null!;

    [Params("digits-mlp", "fashion-mlp")]
    public string Suite { get; set; } = "fashion-mlp";

    [GlobalSetup]
    public void Setup() => _suite = HookSuites.Get(Suite);

    [Benchmark(Baseline = true, OperationsPerInvoke = HookSuites.StepsPerRun, Description = "bare TorchSharp loop")]
    public long BareLoop() => RunBareLoop(_suite, HookSuites.StepsPerRun);

    [Benchmark(OperationsPerInvoke = HookSuites.StepsPerRun, Description = "engine (BudgetedTrainer)")]
    public long Engine() => HookSuites.RunChecked(HookSuites.Request(_suite, [], []), $"engine on {_suite.Spec.Name}");

    [Benchmark(OperationsPerInvoke = HookSuites.StepsPerRun, Description = "engine + no-op hook on every event")]
    public long EngineWithNoOpHook() =>
        HookSuites.RunChecked(HookSuites.Request(_suite, [], [new NoOpHook()]), $"engine with a no-op hook on {_suite.Spec.Name}");

    /// <summary>The hand-written loop (<see cref="Tuner.Benchmarks.BareLoop"/>), then one evaluation pass as the engine does.</summary>
    private static long RunBareLoop(LoadedSuite suite, int steps)
    {
        using nn.Module<Tensor, Tensor> model = Tuner.Benchmarks.BareLoop.Train(suite.Spec.DescribedModel, suite.Data.Train, HookSuites.Configuration(suite), steps);
        using (no_grad())
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor logits = model.call(suite.Eval.Slice(0, suite.Eval.Count));
            _ = nn.functional.cross_entropy(logits, suite.Eval.Labels, reduction: nn.Reduction.Sum).item<float>();
            _ = logits.argmax(1).eq(suite.Eval.Labels).sum().item<long>();
        }

        return steps;
    }

    /// <summary>A hook that matches every event and changes nothing.</summary>
    private sealed class NoOpHook : ITechnique
    {
        public string Name => "noop";

        public TechniqueCategory Category => TechniqueCategory.System;

        public bool Matches(TrainingEvent trainingEvent, TrainingState state) => true;

        public void Apply(TrainingEvent trainingEvent, TrainingState state)
        {
        }
    }
}
