using Tuner.Core.Configuration;
using Tuner.Core.Statistics;
using Tuner.Core.Trials;
using Tuner.Search.Tuners;

namespace Tuner.Search.Recommendations;

/// <summary>A configuration re-run on fresh seeds by the recommender, with its statistics.</summary>
/// <param name="Label">baseline, or candidate N (its rank in the search).</param>
/// <param name="SearchTrial">The search trial it came from (null for the baseline).</param>
/// <param name="Configuration">The recipe.</param>
/// <param name="Runs">Its validation runs, one per fresh seed.</param>
/// <param name="TimeToTarget">Median time-to-target in seconds over the seeds with its 95% bootstrap interval (+infinity where the median run missed the target).</param>
/// <param name="ReachShare">Share of seeds that reached the target.</param>
/// <param name="SpeedUp">Speed-up over the baseline (ratio of medians) with its 95% bootstrap interval; null for the baseline.</param>
public sealed record ValidatedCandidate(
    string Label,
    int? SearchTrial,
    TrainingConfiguration Configuration,
    IReadOnlyList<TrialRecord> Runs,
    Interval TimeToTarget,
    double ReachShare,
    SpeedUpEstimate? SpeedUp)
{
    public int TechniqueCount => Configuration.Techniques.Count;

    /// <summary>Median over its seeds of the best validation metric (what the target was checked on); null without runs.</summary>
    public double? MedianValidationMetric => Median(Runs.Select(r => r.BestMetric));

    /// <summary>Median over its seeds of the test metric, evaluated once at the end of each run and never used to choose; null when no run has one.</summary>
    public double? MedianTestMetric => Median(Runs.Select(r => r.TestMetric));

    /// <summary>How far above a loss target the median test loss may be before <see cref="TestFallsShortOf"/> warns (relative).</summary>
    public const double LossMargin = 0.05;

    /// <summary>
    /// True when the median test metric falls clearly short of the target: more than two binomial standard errors of
    /// the test split (sqrt(t (1 - t) / n)) below it, so the validation split flattered this configuration (or the
    /// target is at the edge of what the model does) beyond what the test split's size explains. For a loss target: more than <see cref="LossMargin"/> above it.
    /// </summary>
    public bool TestFallsShortOf(TargetSpec target)
    {
        ArgumentNullException.ThrowIfNull(target);
        long rows = Runs.Select(r => r.TestRows ?? 0).DefaultIfEmpty(0).Max();
        if (MedianTestMetric is not double test || rows <= 0)
        {
            return false;
        }

        if (target.LowerIsBetter)
        {
            // A mean loss's sampling error needs the per-example spread, which records do not keep: a fixed 5% margin.
            return test > target.Value * (1 + LossMargin);
        }

        double t = Math.Clamp(target.Value, 0, 1);
        return test < target.Value - (2 * Math.Sqrt(t * (1 - t) / rows));
    }

    private static double? Median(IEnumerable<double?> values)
    {
        double[] known = [.. values.OfType<double>()];
        return known.Length == 0 ? null : Robust.Median(known);
    }

    /// <summary>More than half its seeds reached the target, so its median time-to-target is finite.</summary>
    public bool Eligible => double.IsFinite(TimeToTarget.Estimate) && Runs.All(r => r.Status is not (TrialStatus.Diverged or TrialStatus.Failed or TrialStatus.OverMemory));
}

/// <summary>
/// What <c>tuner recommend</c> concludes. <see cref="Chosen"/> is null when no configuration reached the target on
/// more than half of its seeds; <see cref="BestSearchTrial"/> then says how close the search got.
/// </summary>
public sealed record Recommendation
{
    public required string Study { get; init; }

    public required string Suite { get; init; }

    public required string Budget { get; init; }

    public required TargetSpec Target { get; init; }

    public required ValidatedCandidate Baseline { get; init; }

    /// <summary>Every validated configuration, baseline first.</summary>
    public required IReadOnlyList<ValidatedCandidate> Validated { get; init; }

    public ValidatedCandidate? Chosen { get; init; }

    /// <summary>The best trial of the search (lowest censored score), reached or not.</summary>
    public TrialResult? BestSearchTrial { get; init; }

    public int SearchTrials { get; init; }

    /// <summary>The exact <c>tuner run</c> command that reproduces <see cref="Chosen"/> (null when nothing is chosen).</summary>
    public string? Command { get; init; }

    /// <summary>Why this one: the rule that decided (fastest; a tie resolved toward fewer techniques; nothing beat the baseline).</summary>
    public required string Reason { get; init; }
}
