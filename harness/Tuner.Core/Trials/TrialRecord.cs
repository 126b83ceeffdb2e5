using Tuner.Core.Configuration;

namespace Tuner.Core.Trials;

/// <summary>
/// The immutable result of one training trial. Written as one JSON line; the schema is documented in results/README.md.
/// Time-to-target is censored when the target was not reached: <see cref="TimeToTargetSeconds"/> is null and
/// <see cref="CensoredAtSeconds"/> holds the charged training time the trial had when it stopped.
/// Schema 2 (measurement protocol 2): <see cref="BestMetric"/>, <see cref="FinalMetric"/> and the curve are on the
/// validation split, the target is checked there, and <see cref="TestMetric"/> is the test split's, evaluated once at the
/// end; schema 1 records checked the target on the test split and have no validation split.
/// </summary>
public sealed record TrialRecord
{
    public const int CurrentSchemaVersion = 2;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string RunId { get; init; }

    public required string Suite { get; init; }

    public required TrainingConfiguration Configuration { get; init; }

    public required long Seed { get; init; }

    public required string Budget { get; init; }

    public required TargetSpec Target { get; init; }

    public required TrialStatus Status { get; init; }

    public double? TimeToTargetSeconds { get; init; }

    public long? StepsToTarget { get; init; }

    public long? SamplesToTarget { get; init; }

    public double? CensoredAtSeconds { get; init; }

    public double? BestMetric { get; init; }

    public double? FinalMetric { get; init; }

    public double? FinalTrainLoss { get; init; }

    /// <summary>Metric on the test split, evaluated once at the end of the trial, untimed (null: diverged, failed, or a schema 1 record).</summary>
    public double? TestMetric { get; init; }

    /// <summary>Mean loss on the test split at that evaluation.</summary>
    public double? TestLoss { get; init; }

    /// <summary>Rows of the test split (null in schema 1 records).</summary>
    public long? TestRows { get; init; }

    /// <summary>Rows of the validation split the target was checked on (null in schema 1 records).</summary>
    public long? ValidationRows { get; init; }

    public required long Steps { get; init; }

    public required long Samples { get; init; }

    public required double Epochs { get; init; }

    public required double TrainSeconds { get; init; }

    public required double EvalSeconds { get; init; }

    public required double SamplesPerSecond { get; init; }

    /// <summary>
    /// Steady-state throughput (samples per charged second): the median of timing windows of at least 25 ms of charged
    /// training, the run's first window and low outliers (below Q1 - 1.5 IQR) left out; null when the run had fewer than
    /// 3 windows. Time-to-target is about <see cref="SamplesToTarget"/> / this: the first is exact for a seed on one
    /// thread, this one has a tight distribution of its own.
    /// </summary>
    public double? ThroughputSamplesPerSecond { get; init; }

    /// <summary>The number of timing windows behind <see cref="ThroughputSamplesPerSecond"/>.</summary>
    public int ThroughputWindows { get; init; }

    /// <summary>
    /// Paired throughput (nightly): samples per step of the fixed reference workload, each timing window's samples/s
    /// times the reference step time measured around it (outside charged time), the median of the windows with
    /// outliers on either side left out. A machine that is busier for a moment slows both alike, so this stays put;
    /// slower code moves it. Null when the run was not paired or had fewer than 3 windows.
    /// </summary>
    public double? PairedThroughput { get; init; }

    /// <summary>Model FLOPs of one training sample, forward and backward (6 per weight and use; see <c>ModelFactory.TrainingFlopsPerSample</c>), of the model as trained (after model transforms).</summary>
    public double? ModelFlopsPerSample { get; init; }

    /// <summary>Model FLOPs per second achieved: <see cref="ModelFlopsPerSample"/> x the steady throughput (or samples/s when the run was too short for it).</summary>
    public double? AchievedFlopsPerSecond { get; init; }

    /// <summary>The machine's GEMM ceiling the run is measured against, FLOP/s: bf16 with the precision technique, else fp32, measured once per process on the trial's threads.</summary>
    public double? PeakFlopsPerSecond { get; init; }

    /// <summary>Model FLOPs utilisation: <see cref="AchievedFlopsPerSecond"/> / <see cref="PeakFlopsPerSecond"/>.</summary>
    public double? Mfu { get; init; }

    public required long PeakRssBytes { get; init; }

    public string? FailureReason { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required IReadOnlyList<EvaluationPoint> Curve { get; init; }

    public required IReadOnlyList<string> TechniqueTrace { get; init; }

    public required EnvironmentManifest Environment { get; init; }
}
