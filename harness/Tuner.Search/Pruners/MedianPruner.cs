using Tuner.Core.Trials;
using Tuner.Search.Tuners;

namespace Tuner.Search.Pruners;

/// <summary>
/// Stops a running trial whose best metric so far is below the median of what the finished trials had reached by
/// the same charged training time (<see cref="EvaluationPoint.TrainSeconds"/>), the median stopping rule of Google
/// Vizier (Golovin et al. 2017). Time, not step, is the common axis because techniques change the cost of a step.
/// <para>At the running trial's latest time t, each finished trial contributes its best metric over its evaluations
/// at or before t (up to its last evaluation at or before t); one with no evaluation by t does not count, nor do
/// diverged and failed trials (their curves end in garbage) nor non-finite metrics. A finished trial that stopped
/// before t (pruned, lower fidelity, reached) contributes its final value, which can only make the median lower and
/// the rule more lenient. Nothing is pruned before the running trial has <see cref="WarmupEvaluations"/> evaluations
/// and <see cref="WarmupSeconds"/> of charged time, nor while fewer than <see cref="StartupTrials"/> finished trials
/// are comparable; ties with the median are kept. Higher metrics are better (accuracy), or lower ones with
/// <c>lowerIsBetter</c> (a loss target): then the best is the lowest, and a trial above the median is pruned.</para>
/// </summary>
public sealed class MedianPruner : IPruner
{
    /// <summary>Relative slack when matching evaluation times, so equal charged times compare equal despite rounding.</summary>
    private const double TimeTolerance = 1e-9;

    /// <param name="startupTrials">Comparable finished trials needed before anything is pruned (default 5, at least 1).</param>
    /// <param name="warmupSeconds">Charged training seconds a trial runs before it may be pruned (default 0).</param>
    /// <param name="warmupEvaluations">Evaluations a trial has before it may be pruned (default 1, at least 1).</param>
    /// <param name="lowerIsBetter">The metric is better when lower (a loss target).</param>
    public MedianPruner(int startupTrials = 5, double warmupSeconds = 0, int warmupEvaluations = 1, bool lowerIsBetter = false)
    {
        if (startupTrials < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(startupTrials), startupTrials, "at least one finished trial is needed for a median");
        }

        if (!(warmupSeconds >= 0) || !double.IsFinite(warmupSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(warmupSeconds), warmupSeconds, "must be a finite number of seconds >= 0");
        }

        if (warmupEvaluations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupEvaluations), warmupEvaluations, "must be at least 1");
        }

        StartupTrials = startupTrials;
        WarmupSeconds = warmupSeconds;
        WarmupEvaluations = warmupEvaluations;
        LowerIsBetter = lowerIsBetter;
    }

    public bool LowerIsBetter { get; }

    public int StartupTrials { get; }

    public double WarmupSeconds { get; }

    public int WarmupEvaluations { get; }

    public bool ShouldPrune(IReadOnlyList<EvaluationPoint> curve, IReadOnlyList<TrialResult> finished)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(finished);
        if (curve.Count < WarmupEvaluations)
        {
            return false;
        }

        double now = curve.Max(p => p.TrainSeconds);
        if (now < WarmupSeconds || BestBy(curve, now) is not double best)
        {
            return false;
        }

        var references = new List<double>();
        foreach (TrialResult trial in finished)
        {
            if (!trial.Broken && BestBy(trial.Curve, now) is double reference)
            {
                references.Add(reference);
            }
        }

        return references.Count >= StartupTrials && (LowerIsBetter ? best > Median(references) : best < Median(references));
    }

    /// <summary>The best finite metric among evaluations at or before <paramref name="seconds"/>, or null when there is none.</summary>
    private double? BestBy(IReadOnlyList<EvaluationPoint> curve, double seconds)
    {
        double limit = seconds + (TimeTolerance * Math.Max(1.0, Math.Abs(seconds)));
        double? best = null;
        foreach (EvaluationPoint point in curve)
        {
            if (point.TrainSeconds <= limit && double.IsFinite(point.Metric) && (best is null || (LowerIsBetter ? point.Metric < best : point.Metric > best)))
            {
                best = point.Metric;
            }
        }

        return best;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
