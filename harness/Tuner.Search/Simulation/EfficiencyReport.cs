using System.Globalization;
using System.Text;

namespace Tuner.Search.Simulation;

/// <summary>
/// Markdown for the search-efficiency benchmark: a header describing the truth, and one table per replay setting.
/// Everything is formatted with the invariant culture and depends only on its inputs, so the same truth and settings
/// always give the same text.
/// </summary>
public static class EfficiencyReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>What was measured: the truth, its best configuration, the full grid's compute, the seeds and the trial cap.</summary>
    public static string Header(string truthSource, TruthTable truth, int seeds, ReplaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(truthSource);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(settings);
        double best = truth.BestTimeToTargetSeconds ?? double.NaN;
        double good = (1 + settings.Tolerance) * best;
        int goodCount = truth.Records.Count(r => r.TimeToTargetSeconds is double t && r.Status == Core.Trials.TrialStatus.Reached && t <= good);
        int reached = truth.Records.Count(r => r.Status == Core.Trials.TrialStatus.Reached);
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"Truth: `{truthSource}`, {truth.Count} configurations (suite {truth.Records[0].Suite}, budget {truth.BudgetSeconds:0.###} s, target {truth.Target}), {reached} reached the target.");
        text.AppendLine(Invariant, $"Best time-to-target {best:0.00} s: `{truth.Best?.Configuration}`; within {settings.Tolerance:0.##%}: <= {good:0.00} s ({goodCount} configuration{(goodCount == 1 ? string.Empty : "s")}).");
        text.AppendLine(Invariant, $"Full grid compute: {truth.FullGridSeconds:0.0} s (every configuration to the target or the budget). Tuner seeds 0..{seeds - 1}, at most {settings.MaxTrials} trials per search.");
        return text.ToString();
    }

    /// <summary>
    /// The table of <paramref name="rows"/>: tuner | found (seeds) | median compute to find one | % of the full grid |
    /// ratio to random | median trials | goal met, then a row for the full grid.
    /// </summary>
    public static string Table(IReadOnlyList<EfficiencyRow> rows, TruthTable truth, ReplaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(settings);
        EfficiencyRow? random = rows.FirstOrDefault(r => r.Tuner == "random");
        double randomMedian = random?.MedianComputeSeconds ?? double.NaN;
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"| tuner | found (seeds) | median compute to within {settings.Tolerance:0.##%} (s) | % of full grid | vs random | median trials | goal met |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|:---:|");
        foreach (EfficiencyRow row in rows)
        {
            double median = row.MedianComputeSeconds;
            string goal = EfficiencyStudy.GoalMet(row, truth, random) switch
            {
                true => "yes",
                false => "no",
                null => "-",
            };
            text.AppendLine(Invariant, $"| {row.Tuner} | {row.Found}/{row.Seeds} | {Seconds(median)} | {Percent(median / truth.FullGridSeconds)} | {Ratio(median, randomMedian)} | {Count(row.MedianTrials)} | {goal} |");
        }

        text.AppendLine(Invariant, $"| full grid | - | {Seconds(truth.FullGridSeconds)} | 100% | {Ratio(truth.FullGridSeconds, randomMedian)} | {truth.Count} | - |");
        return text.ToString();
    }

    /// <summary>One line per goal tuner saying whether it met the goal and, when not, which half it missed.</summary>
    public static string GoalSummary(IReadOnlyList<EfficiencyRow> rows, TruthTable truth)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(truth);
        EfficiencyRow? random = rows.FirstOrDefault(r => r.Tuner == "random");
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"Goal: {string.Join(", ", EfficiencyStudy.GoalTuners)} need <= {EfficiencyStudy.GoalGridFraction:0%} of the full grid's compute ({EfficiencyStudy.GoalGridFraction * truth.FullGridSeconds:0.0} s) and <= {EfficiencyStudy.GoalRandomRatio:0.##} x random's ({Seconds(EfficiencyStudy.GoalRandomRatio * (random?.MedianComputeSeconds ?? double.NaN))} s).");
        foreach (EfficiencyRow row in rows.Where(r => EfficiencyStudy.GoalTuners.Contains(r.Tuner)))
        {
            double median = row.MedianComputeSeconds;
            bool grid = median <= EfficiencyStudy.GoalGridFraction * truth.FullGridSeconds;
            bool versusRandom = random is not null && median <= EfficiencyStudy.GoalRandomRatio * random.MedianComputeSeconds;
            string gridMiss = string.Create(Invariant, $"above {EfficiencyStudy.GoalGridFraction:0%} of the grid");
            string randomMiss = string.Create(Invariant, $"above {EfficiencyStudy.GoalRandomRatio:0.##} x random");
            string verdict = (grid, versusRandom) switch
            {
                (true, true) => "met",
                (false, true) => $"not met ({gridMiss})",
                (true, false) => $"not met ({randomMiss})",
                _ => $"not met ({gridMiss}, {randomMiss})",
            };
            text.AppendLine(Invariant, $"- {row.Tuner}: {Seconds(median)} s, {verdict}");
        }

        return text.ToString();
    }

    private static string Seconds(double seconds) => double.IsNaN(seconds) ? "n/a" : double.IsPositiveInfinity(seconds) ? "not found" : seconds.ToString("0.0", Invariant);

    private static string Percent(double fraction) => double.IsNaN(fraction) ? "n/a" : double.IsPositiveInfinity(fraction) ? "-" : fraction.ToString("0.0%", Invariant);

    private static string Ratio(double value, double reference) =>
        double.IsNaN(value) || double.IsNaN(reference) || double.IsPositiveInfinity(reference) || !(reference > 0) ? "n/a"
        : double.IsPositiveInfinity(value) ? "-"
        : (value / reference).ToString("0.00", Invariant) + "x";

    private static string Count(double trials) => double.IsPositiveInfinity(trials) ? "-" : trials.ToString("0.#", Invariant);
}
