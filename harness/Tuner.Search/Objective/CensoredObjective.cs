using Tuner.Search.Tuners;

namespace Tuner.Search.Objective;

/// <summary>
/// Time-to-target as one number to minimise, with censoring: a trial that reached the target scores its
/// time-to-target as a fraction of <see cref="ReferenceSeconds"/> (the study's budget in seconds), in (0, 1]; a trial
/// that missed it (not reached, pruned, stopped at a lower fidelity) scores 1 + its relative gap to the target, in
/// (1, 2], so it ranks after every trial that reached the target and by how close it came; diverged and failed
/// trials score <see cref="BrokenScore"/>, after everything. The gap of a higher-is-better metric (accuracy) is
/// (target - best) / target; of a lower-is-better one (loss), (best - target) / best, also in [0, 1).
/// </summary>
public sealed class CensoredObjective
{
    public const double BrokenScore = 3.0;

    public CensoredObjective(double referenceSeconds, double targetValue, bool lowerIsBetter = false)
    {
        if (!(referenceSeconds > 0) || !double.IsFinite(referenceSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(referenceSeconds), referenceSeconds, "must be a positive number of seconds");
        }

        if (!(targetValue > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(targetValue), targetValue, "must be positive");
        }

        ReferenceSeconds = referenceSeconds;
        TargetValue = targetValue;
        LowerIsBetter = lowerIsBetter;
    }

    public double ReferenceSeconds { get; }

    public double TargetValue { get; }

    /// <summary>The target is a value to fall to (loss), not to rise to (accuracy).</summary>
    public bool LowerIsBetter { get; }

    public double Score(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Broken)
        {
            return BrokenScore;
        }

        if (result.Reached)
        {
            return Math.Max(1e-6, Math.Min(1.0, result.TimeToTargetSeconds!.Value / ReferenceSeconds));
        }

        if (LowerIsBetter)
        {
            return result.BestMetric is double loss && double.IsFinite(loss) && loss > 0
                ? 1.0 + Math.Clamp((Math.Max(loss, TargetValue) - TargetValue) / Math.Max(loss, TargetValue), 0, 1)
                : 2.0;
        }

        double best = Math.Clamp(result.BestMetric ?? 0, 0, TargetValue);
        return 1.0 + ((TargetValue - best) / TargetValue);
    }

    /// <summary>Orders results best first (lowest score; ties by trial number).</summary>
    public IEnumerable<TrialResult> Rank(IEnumerable<TrialResult> results) =>
        results.OrderBy(Score).ThenBy(r => r.Number);
}
