using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Storage;

namespace Tuner.Reports.Html;

/// <summary>One curve of a time-to-target ECDF: its runs' sorted times-to-target and its runs that never reached the target.</summary>
/// <param name="Label">The technique combination (or validated configuration).</param>
/// <param name="Times">Times-to-target of the runs that reached the target, ascending.</param>
/// <param name="Runs">How many runs the curve is over (reached and censored).</param>
/// <param name="Censored">The runs that did not reach the target: (censoring time, description).</param>
public sealed record EcdfCurve(string Label, IReadOnlyList<double> Times, int Runs, IReadOnlyList<(double Seconds, string Tip)> Censored)
{
    /// <summary>Where the curve ends: the share of runs that reached the target.</summary>
    public double Top => Runs == 0 ? 0 : Times.Count / (double)Runs;

    /// <summary>The step line's corners: from 0 at the first time, up 1/n at each time (drawn horizontal first).</summary>
    public IReadOnlyList<(double X, double Y)> Steps() =>
        [.. Times.Take(1).Select(t => (t, 0.0)), .. Times.Select((t, i) => (t, (i + 1) / (double)Runs))];
}

/// <summary>
/// The data behind a study's views, shared by the HTML page (SVG) and <c>tuner report</c>'s PNGs: ECDF curves per
/// technique combination, and the groups of the samples-to-target against throughput chart. Trials stopped early
/// (capped, pruned) are left out of both: they say nothing about when their configuration reaches the target.
/// </summary>
public static class StudyViews
{
    /// <summary>Combinations given their own curve or colour; the rest are grouped.</summary>
    public const int Groups = 6;

    /// <summary>A configuration's technique combination: names in order joined by '+', or "no technique".</summary>
    public static string Combination(TrainingConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string[] names = [.. configuration.Techniques.Select(t => t.Name).Order(StringComparer.Ordinal)];
        return names.Length == 0 ? "no technique" : string.Join("+", names);
    }

    /// <summary>ECDF curves of the <see cref="Groups"/> most tried combinations among trials that ran to the target or the budget.</summary>
    public static IReadOnlyList<EcdfCurve> Ecdf(IEnumerable<StoredTrial> finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        return [.. finished.Where(t => t.Record?.Status is TrialStatus.Reached or TrialStatus.NotReached)
            .GroupBy(t => Combination(t.Record!.Configuration))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(Groups)
            .Select(g => Curve(g.Key, [.. g.Select(t => t.Record!)], r => $"trial {g.First(t => ReferenceEquals(t.Record, r)).Number}"))];
    }

    /// <summary>The ECDF curve of <paramref name="runs"/> (e.g. one configuration's fresh seeds).</summary>
    public static EcdfCurve Curve(string label, IReadOnlyList<TrialRecord> runs, Func<TrialRecord, string> name)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(name);
        double[] times = [.. runs.Where(r => r.Status == TrialStatus.Reached && r.TimeToTargetSeconds is double t && double.IsFinite(t)).Select(r => r.TimeToTargetSeconds!.Value).Order()];
        (double, string)[] censored = [.. runs.Where(r => r.Status != TrialStatus.Reached).Select(r => (r.CensoredAtSeconds ?? r.TrainSeconds,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name(r)}: not reached, censored at {r.CensoredAtSeconds ?? r.TrainSeconds:0.00} s")))];
        return new EcdfCurve(label, times, runs.Count, censored);
    }

    /// <summary>Trials that reached the target with a samples count and a throughput (the points of the samples/throughput chart).</summary>
    public static IReadOnlyList<StoredTrial> Reached(IEnumerable<StoredTrial> finished) =>
        [.. finished.Where(t => t.Record is { Status: TrialStatus.Reached, SamplesToTarget: > 0, SamplesPerSecond: > 0 })];

    /// <summary>The <see cref="Groups"/> combinations with most points, each given its own colour.</summary>
    public static IReadOnlyList<string> TopCombinations(IEnumerable<StoredTrial> trials) =>
        [.. trials.GroupBy(t => Combination(t.Record!.Configuration)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(Groups).Select(g => g.Key)];

    /// <summary>The best time as samples / throughput, and the throughput range, for the chart's iso-time line; null without points.</summary>
    public static (double Seconds, double Low, double High)? BestTimeLine(IReadOnlyList<StoredTrial> reached) =>
        reached.Count == 0
            ? null
            : (reached.Min(t => t.Record!.SamplesToTarget!.Value / t.Record.SamplesPerSecond), reached.Min(t => t.Record!.SamplesPerSecond), reached.Max(t => t.Record!.SamplesPerSecond));
}
