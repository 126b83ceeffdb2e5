using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Search.Space;
using Tuner.Search.Simulation;

namespace Tuner.Search.Tests.Simulation;

/// <summary>
/// A small exhaustive "grid study" for simulation tests: lr in {0.025, 0.05, 0.1} × optional techniques "a" and "b"
/// (12 configurations), a 20 s budget and target 0.88. A configuration's target time is
/// T = 10 s × lr factor (1.6, 1, 1.3) × 0.7 with "a" × 1.6 with "b"; lr 0.1 with a and b diverges at 3 s. Evaluations
/// come every second (every 100 steps) with metric 0.88 × t / T, and the first evaluation at or after T reaches the
/// target (0.89), so time-to-target is ceil(T); a reached run charges 0.01 s more than its time-to-target. A run with
/// T above the budget misses the target, evaluates at 1..20 s and once more at the end (20.05 s, step 2005) and charges
/// 20.05 s. Faster configurations have higher metrics at every time, so the median pruner never stops the best one.
/// The best is lr 0.05 with "a" only (ceil(7) = 7 s, 7th in grid order); the next best take 10 s, beyond 10%.
/// </summary>
internal static class SyntheticTruth
{
    public const double BudgetSeconds = 20;
    public const double Target = 0.88;

    public static readonly TrainingConfiguration Baseline = new() { LearningRate = 0.05, BatchSize = 128, EvalEverySamples = 12_800 };

    public static readonly SearchSpace Space = new(
        Baseline,
        [new ChoiceParameter("lr", ["0.025", "0.05", "0.1"])],
        [new TechniqueDimension("a"), new TechniqueDimension("b")]);

    /// <summary>The truth table in grid order.</summary>
    public static TruthTable Table() => new(Space.Grid().Select(c => RecordFor(c.Configuration)));

    /// <summary>The measured full run of <paramref name="configuration"/>.</summary>
    public static TrialRecord RecordFor(TrainingConfiguration configuration)
    {
        bool a = configuration.Techniques.Any(t => t.Name == "a");
        bool b = configuration.Techniques.Any(t => t.Name == "b");
        if (configuration.LearningRate == 0.1 && a && b)
        {
            return Record(configuration, TrialStatus.Diverged, null, 3.0, [(1, 0.2), (2, 0.1)]);
        }

        double lrFactor = configuration.LearningRate switch
        {
            0.025 => 1.6,
            0.05 => 1.0,
            _ => 1.3,
        };
        double t = 10 * lrFactor * (a ? 0.7 : 1.0) * (b ? 1.6 : 1.0);
        if (t <= BudgetSeconds)
        {
            int reachedAt = (int)Math.Ceiling(Math.Round(t, 6));
            var curve = Enumerable.Range(1, reachedAt).Select(s => ((double)s, s < reachedAt ? Target * s / t : Target + 0.01)).ToArray();
            return Record(configuration, TrialStatus.Reached, reachedAt, reachedAt + 0.01, curve);
        }

        var missed = Enumerable.Range(1, 20).Select(s => ((double)s, Target * s / t)).Append((20.05, Target * 20.05 / t)).ToArray();
        return Record(configuration, TrialStatus.NotReached, null, 20.05, missed);
    }

    /// <summary>A record with evaluations at the given seconds, at steps 100, 200, ... (the last one at step seconds × 100 when not whole).</summary>
    public static TrialRecord Record(TrainingConfiguration configuration, TrialStatus status, double? timeToTarget, double trainSeconds, (double Seconds, double Metric)[] curve)
    {
        EvaluationPoint[] points = [.. curve.Select(p => new EvaluationPoint((long)Math.Round(p.Seconds * 100), (long)Math.Round(p.Seconds * 12800), p.Seconds, p.Metric, 1 - p.Metric, 1 - p.Metric))];
        return new TrialRecord
        {
            RunId = "synthetic",
            Suite = "synthetic",
            Configuration = configuration,
            Seed = 0,
            Budget = "20s",
            Target = new TargetSpec("accuracy", Target),
            Status = status,
            TimeToTargetSeconds = timeToTarget,
            CensoredAtSeconds = status == TrialStatus.Reached ? null : trainSeconds,
            BestMetric = points.Length == 0 ? null : points.Max(p => p.Metric),
            FinalMetric = points.Length == 0 ? null : points[^1].Metric,
            Steps = points.Length == 0 ? 0 : points[^1].Step,
            Samples = points.Length == 0 ? 0 : points[^1].Samples,
            Epochs = 1,
            TrainSeconds = trainSeconds,
            EvalSeconds = 0,
            SamplesPerSecond = 12800,
            PeakRssBytes = 0,
            StartedAt = DateTimeOffset.UnixEpoch,
            Curve = points,
            TechniqueTrace = [],
            Environment = new EnvironmentManifest
            {
                CpuModel = "synthetic",
                LogicalCores = 1,
                TorchThreads = 1,
                Os = "synthetic",
                DotNet = "synthetic",
                TorchSharpVersion = "synthetic",
                LibTorchVersion = "synthetic",
                Device = "cpu",
            },
        };
    }

    /// <summary>The candidate of <paramref name="lr"/> with techniques <paramref name="techniques"/> on.</summary>
    public static Candidate Candidate(double lr, params string[] techniques) =>
        Space.Encode(Baseline with { LearningRate = lr, Techniques = [.. techniques.Select(TechniqueSpec.Of)] })
        ?? throw new InvalidOperationException("outside the space");
}
