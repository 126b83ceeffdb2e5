using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Core.Workloads;
using Tuner.Training.Data;
using static TorchSharp.torch;

namespace Tuner.Training.Engine;

/// <summary>What to train, on what, for how long and toward which target. The trainer does not own the datasets.</summary>
public sealed record TrainingRequest
{
    public required Func<nn.Module<Tensor, Tensor>> ModelFactory { get; init; }

    public required TensorDataset Train { get; init; }

    /// <summary>The validation split: the target is checked on it; never trained on.</summary>
    public required TensorDataset Eval { get; init; }

    /// <summary>The test split: evaluated once at the end of the run, untimed, after the last validation; never trained on, never checked against the target. Null skips it.</summary>
    public TensorDataset? Test { get; init; }

    public required TrainingConfiguration Configuration { get; init; }

    public required Budget Budget { get; init; }

    public required TargetSpec Target { get; init; }

    public required long Seed { get; init; }

    public Device Device { get; init; } = CPU;

    /// <summary>The techniques, in the library's declared order (<c>TechniqueRegistry.CreateAll</c> sorts them); they act in this order at every event (reversed at After* events, BatchEnd, EvalEnd and FitEnd).</summary>
    public IReadOnlyList<ITechnique> Techniques { get; init; } = Array.Empty<ITechnique>();

    /// <summary>Observers of the run (mechanism probes in tests); none in normal runs.</summary>
    public IReadOnlyList<ITrainingObserver> Observers { get; init; } = Array.Empty<ITrainingObserver>();

    /// <summary>Facts about the workload (images, residual blocks, ...), as the suite declares them.</summary>
    public WorkloadFacts Facts { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Batch size for evaluation (no gradients, so larger than training).</summary>
    public int EvalBatchSize { get; init; } = 512;

    /// <summary>Whether horizontally flipped inputs keep their label (the suite says; false for digits).</summary>
    public bool AllowsHorizontalFlip { get; init; }

    /// <summary>Stop as soon as the target is reached (the default, as in MLPerf); false trains to the end of the budget.</summary>
    public bool StopAtTarget { get; init; } = true;

    /// <summary>
    /// Stop when this fraction of the budget is spent (a search's lower fidelity or time cap). The schedule still sees
    /// the whole budget, so the run is an exact prefix of the full one. A run stopped here without reaching the target
    /// ends as <see cref="TrialStatus.Pruned"/>. 1 (the default) runs the whole budget.
    /// </summary>
    public double StopAtFraction { get; init; } = 1.0;

    /// <summary>
    /// Asked after each evaluation that did not reach the target, with the evaluations so far; true stops the run as
    /// <see cref="TrialStatus.Pruned"/> (a search's pruner). Called on the training thread with the clock paused.
    /// </summary>
    public Func<IReadOnlyList<EvaluationPoint>, bool>? ShouldStop { get; init; }

    /// <summary>
    /// Pairs the throughput with the machine's speed (nightly): called at every timing-window boundary with the clock
    /// paused, it returns the seconds of one step of a fixed reference workload measured right then
    /// (<see cref="Runtime.ReferenceWorkload"/>). Each window's samples/s times the mean of the reference step times
    /// measured at its two ends is that window's paired throughput, in samples per reference step: a machine that is
    /// busier for a moment slows both alike, so it cancels; slower code does not. Null (the default) measures nothing.
    /// </summary>
    public Func<double>? ReferenceProbe { get; init; }

    /// <summary>
    /// The most resident memory the process may reach during the trial, in bytes (<c>--memory-limit</c>): the peak
    /// (Linux VmHWM, reset when the trial starts where the kernel allows) is read every <see cref="BudgetedTrainer.MemoryCheckSeconds"/>
    /// of training and after the first batch; above the limit the run ends as <see cref="TrialStatus.OverMemory"/>.
    /// It is the whole process's memory (runtime, data and the trial's tensors), as a machine's limit would count it.
    /// Null: no limit.
    /// </summary>
    public long? MemoryLimitBytes { get; init; }
}
