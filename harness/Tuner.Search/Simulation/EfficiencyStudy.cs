using Tuner.Search.Tuners;
using Tuner.Core.Configuration;
using Tuner.Search.Space;

namespace Tuner.Search.Simulation;

/// <summary>
/// The search-efficiency benchmark: every tuner replayed against a <see cref="TruthTable"/> over tuner seeds 0..N-1,
/// summarised by the median compute each needed to find a configuration within the tolerance of the best
/// time-to-target (a seed that never finds one counts as +infinity), against random search and the full grid.
/// Goal: <see cref="GoalTuners"/> need at most <see cref="GoalGridFraction"/> of the grid's compute and at most
/// <see cref="GoalRandomRatio"/> of random search's.
/// </summary>
public static class EfficiencyStudy
{
    /// <summary>The tuners the goal applies to.</summary>
    public static readonly IReadOnlyList<string> GoalTuners = ["smac", "hyperband", "asha"];

    /// <summary>The most compute of the full grid a goal tuner may need.</summary>
    public const double GoalGridFraction = 0.2;

    /// <summary>The most compute of random search a goal tuner may need.</summary>
    public const double GoalRandomRatio = 0.5;

    /// <summary>
    /// Replays each of <paramref name="tuners"/> with tuner seeds 0..<paramref name="seeds"/>-1; rows in the order of
    /// <paramref name="tuners"/>. Replays are independent, so up to <paramref name="parallelism"/> run at once and the
    /// result does not depend on it.
    /// </summary>
    public static IReadOnlyList<EfficiencyRow> Run(
        TruthTable truth,
        SearchSpace space,
        TrainingConfiguration baseline,
        IEnumerable<string> tuners,
        int seeds,
        ReplaySettings settings,
        int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(tuners);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        string[] names = [.. tuners];
        foreach (string name in names)
        {
            _ = TunerCatalog.Create(name, space, truth.Objective, baseline); // an unknown name fails before any replay
        }

        var outcomes = new ReplayOutcome[names.Length * seeds];
        Parallel.For(
            0,
            outcomes.Length,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            i => outcomes[i] = SearchReplay.Run(TunerCatalog.Create(names[i / seeds], space, truth.Objective, baseline), space, truth, i % seeds, settings));
        return [.. names.Select((name, t) => new EfficiencyRow(name, outcomes[(t * seeds)..((t + 1) * seeds)]))];
    }

    /// <summary>
    /// Whether <paramref name="row"/> meets the goal against <paramref name="truth"/>'s full grid and the
    /// <paramref name="random"/> row; null for a tuner the goal does not apply to, or when there is no random row.
    /// </summary>
    public static bool? GoalMet(EfficiencyRow row, TruthTable truth, EfficiencyRow? random)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(truth);
        if (!GoalTuners.Contains(row.Tuner) || random is null)
        {
            return null;
        }

        double median = row.MedianComputeSeconds;
        return double.IsFinite(median)
            && median <= GoalGridFraction * truth.FullGridSeconds
            && median <= GoalRandomRatio * random.MedianComputeSeconds;
    }

    /// <summary>The median (mean of the middle two for an even count); +infinity values sort last.</summary>
    public static double Median(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        List<double> sorted = [.. values.Order()];
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>One tuner's replays, one per tuner seed.</summary>
public sealed record EfficiencyRow(string Tuner, IReadOnlyList<ReplayOutcome> Runs)
{
    public int Seeds => Runs.Count;

    /// <summary>Seeds that found a good configuration within the trial cap.</summary>
    public int Found => Runs.Count(r => r.Found);

    /// <summary>Median compute to find one, +infinity counted for seeds that did not.</summary>
    public double MedianComputeSeconds => EfficiencyStudy.Median(Runs.Select(r => r.ComputeToFindSeconds));

    /// <summary>Median trials to find one, +infinity counted for seeds that did not.</summary>
    public double MedianTrials => EfficiencyStudy.Median(Runs.Select(r => r.TrialsToFind is int n ? n : double.PositiveInfinity));
}
