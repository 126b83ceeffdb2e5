using Tuner.Search.Tuners;

namespace Tuner.Search.Objective;

/// <summary>
/// Time-to-target as one number to minimise, with censoring: a trial that reached the target scores its
/// time-to-target as a fraction of <see cref="ReferenceSeconds"/> (the study's budget in seconds), in (0, 1]; a trial
/// that missed it (not reached, pruned, stopped at a lower fidelity) scores 1 + its relative gap to the target, in
/// (1, 2], so it ranks after every trial that reached the target and by the accuracy it reached; diverged and failed
/// trials score <see cref="BrokenScore"/>, after everything.
/// </summary>
public sealed class CensoredObjective
{
    public const double BrokenScore = 3.0;

    public CensoredObjective(double referenceSeconds, double targetValue)
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
    }

    public double ReferenceSeconds { get; }

    public double TargetValue { get; }

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

        double best = Math.Clamp(result.BestMetric ?? 0, 0, TargetValue);
        return 1.0 + ((TargetValue - best) / TargetValue);
    }

    /// <summary>Orders results best first (lowest score; ties by trial number).</summary>
    public IEnumerable<TrialResult> Rank(IEnumerable<TrialResult> results) =>
        results.OrderBy(Score).ThenBy(r => r.Number);
}
