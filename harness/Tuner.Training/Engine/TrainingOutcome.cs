using Tuner.Core.Trials;

namespace Tuner.Training.Engine;

/// <summary>What a training run produced, before it becomes a <see cref="TrialRecord"/>.</summary>
public sealed record TrainingOutcome
{
    public required TrialStatus Status { get; init; }

    public double? TimeToTargetSeconds { get; init; }

    public long? StepsToTarget { get; init; }

    public long? SamplesToTarget { get; init; }

    public double? BestMetric { get; init; }

    public double? FinalMetric { get; init; }

    public double? FinalTrainLoss { get; init; }

    /// <summary>The metric on the test split, evaluated once at the end (null when there is no test split, or the run diverged or failed).</summary>
    public double? TestMetric { get; init; }

    /// <summary>The mean loss on the test split at that evaluation.</summary>
    public double? TestLoss { get; init; }

    /// <summary>Rows of the test split.</summary>
    public long? TestRows { get; init; }

    /// <summary>Steady-state throughput, samples per charged second: the median of the run's timing windows without low outliers (null for a run too short to have 3 windows).</summary>
    public double? Throughput { get; init; }

    /// <summary>How many timing windows <see cref="Throughput"/> comes from.</summary>
    public int ThroughputWindows { get; init; }

    /// <summary>Steady paired throughput, samples per reference-workload step (see <see cref="TrainingRequest.ReferenceProbe"/>): the median of the windows' paired rates without low outliers; null without a probe or with fewer than 3 windows.</summary>
    public double? PairedThroughput { get; init; }

    /// <summary>The median of the reference step times measured at the window boundaries (null without a probe).</summary>
    public double? ReferenceStepSeconds { get; init; }

    /// <summary>Rows of the validation split.</summary>
    public long ValidationRows { get; init; }

    public required long Steps { get; init; }

    /// <summary>Optimizer steps taken: one per trained batch.</summary>
    public long OptimizerSteps { get; init; }

    public required long Samples { get; init; }

    public required double Epochs { get; init; }

    public required double TrainSeconds { get; init; }

    public required double EvalSeconds { get; init; }

    public double SamplesPerSecond => TrainSeconds > 0 ? Samples / TrainSeconds : 0;

    public string? FailureReason { get; init; }

    public required IReadOnlyList<EvaluationPoint> Curve { get; init; }

    /// <summary>Which technique acted at which event, first occurrence each, with counts: "BeforeLoss:label_smoothing x42".</summary>
    public required IReadOnlyList<string> Trace { get; init; }
}
