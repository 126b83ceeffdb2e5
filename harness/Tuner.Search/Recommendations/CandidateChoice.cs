using System.Globalization;
using Tuner.Core.Configuration;
using Tuner.Core.Statistics;
using Tuner.Core.Trials;

namespace Tuner.Search.Recommendations;

/// <summary>The recommender's statistics and decision rule, apart from running anything.</summary>
public static class CandidateChoice
{
    public const string BaselineLabel = "baseline";

    /// <summary>The fastest eligible median; configurations within the tie tolerance of it go to the fewest techniques.</summary>
    public static (ValidatedCandidate? Chosen, string Reason) Choose(IReadOnlyList<ValidatedCandidate> validated, double tieTolerance)
    {
        ArgumentNullException.ThrowIfNull(validated);
        ValidatedCandidate[] eligible = [.. validated.Where(v => v.Eligible)];
        if (eligible.Length == 0)
        {
            return (null, "no configuration reached the target on more than half of its seeds");
        }

        double fastest = eligible.Min(v => v.TimeToTarget.Estimate);
        ValidatedCandidate[] tied = [.. eligible.Where(v => v.TimeToTarget.Estimate <= fastest * (1 + tieTolerance))];
        ValidatedCandidate pick = tied.OrderBy(v => v.TechniqueCount).ThenBy(v => v.TimeToTarget.Estimate).First();
        string reason = pick.Label == BaselineLabel
            ? (tied.Length > 1 ? "no configuration beat the baseline by more than the tie tolerance" : "the baseline recipe was fastest")
            : tied.Length > 1 && pick.TimeToTarget.Estimate > fastest
                ? string.Create(CultureInfo.InvariantCulture, $"within {tieTolerance:P0} of the fastest median, with fewer techniques")
                : "fastest median time-to-target";
        return (pick, reason);
    }

    /// <summary>Statistics of one configuration's validation runs (censored: a run that missed the target counts as +infinity).</summary>
    public static ValidatedCandidate Summarise(string label, int? searchTrial, TrainingConfiguration configuration, IReadOnlyList<TrialRecord> runs, IReadOnlyList<TrialRecord>? baseline)
    {
        ArgumentNullException.ThrowIfNull(runs);
        double[] times = [.. runs.Select(TimeOrInfinity)];
        Interval interval = times.Length == 0 ? new Interval(double.NaN, double.NaN, double.NaN) : Bootstrap.MedianInterval(times);
        SpeedUpEstimate? speedUp = label == BaselineLabel || baseline is null || times.Length == 0
            ? null
            : SpeedUp.Estimate([.. baseline.Select(TimeOrInfinity)], times);
        double share = runs.Count == 0 ? 0 : (double)runs.Count(r => r.Status == TrialStatus.Reached) / runs.Count;
        return new ValidatedCandidate(label, searchTrial, configuration, [.. runs], interval, share, speedUp);
    }

    public static double TimeOrInfinity(TrialRecord record) =>
        record.Status == TrialStatus.Reached && record.TimeToTargetSeconds is double t ? t : double.PositiveInfinity;
}
