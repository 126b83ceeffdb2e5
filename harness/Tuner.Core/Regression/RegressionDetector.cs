using Tuner.Core.Statistics;

namespace Tuner.Core.Regression;

/// <summary>One seed's trial as the detector sees it.</summary>
/// <param name="Night">The night it ran in.</param>
/// <param name="Seed">Training seed.</param>
/// <param name="TimeToTarget">Seconds of charged training time to the target; +infinity when not reached (censored).</param>
/// <param name="SamplesPerSecond">Training throughput; NaN when the trial did not train (failed before its first step).</param>
/// <param name="PairedThroughput">Throughput paired with the reference workload (samples per reference step, see <c>TrialRecord.PairedThroughput</c>); NaN when not measured.</param>
public sealed record SeedMeasurement(string Night, long Seed, double TimeToTarget, double SamplesPerSecond, double PairedThroughput = double.NaN)
{
    public bool Reached => double.IsFinite(TimeToTarget);
}

/// <summary>What a comparison concluded.</summary>
public enum Verdict
{
    /// <summary>No significant change of at least the minimum effect.</summary>
    Unchanged,

    /// <summary>Significantly worse by at least the minimum effect.</summary>
    Regression,

    /// <summary>Significantly better by at least the minimum effect.</summary>
    Improvement,

    /// <summary>A change that would count is hidden in noise (CV above the limit): a warning, not a failure.</summary>
    Noisy,

    /// <summary>Nothing earlier to compare with.</summary>
    NoHistory,
}

/// <summary>The metrics compared, with their names as written in reports.</summary>
public static class Metrics
{
    public const string TimeToTarget = "time_to_target";
    public const string ReachProbability = "reach_probability";
    public const string Throughput = "throughput";

    /// <summary><see cref="MetricComparison.Basis"/> of a throughput compared paired with the reference workload.</summary>
    public const string Paired = "paired";

    /// <summary><see cref="MetricComparison.Basis"/> of a throughput compared in samples/s, the history scaled to tonight's machine speed.</summary>
    public const string Scaled = "scaled";
}

/// <summary>
/// One metric of one configuration, tonight against its history.
/// <see cref="Change"/>: time-to-target and throughput, tonight's median / history's median - 1 (+0.20 = 20% more);
/// reach probability, tonight's share - history's share (-0.20 = 20 points fewer seeds reached).
/// <see cref="ChangeLow"/>/<see cref="ChangeHigh"/>: 95% bootstrap interval of the change (ratio metrics only; NaN otherwise).
/// <see cref="PValue"/>: the one-sided p-value in the direction of the observed change (Mann-Whitney U, or Fisher's exact test for reach probability).
/// <see cref="Cv"/>: the largest coefficient of variation of tonight's seeds, the history's runs and the history's
/// per-night medians (night-to-night drift of the machine) (NaN for reach probability).
/// </summary>
public sealed record MetricComparison(
    string Metric,
    double Tonight,
    double History,
    double Change,
    double ChangeLow,
    double ChangeHigh,
    double PValue,
    double Cv,
    Verdict Verdict,
    string Note)
{
    /// <summary>Throughput only: <see cref="Metrics.Paired"/> or <see cref="Metrics.Scaled"/>, which values <see cref="Tonight"/> and <see cref="History"/> are; empty for the other metrics.</summary>
    public string Basis { get; init; } = string.Empty;
}

/// <summary>One configuration's comparison: sample sizes and the three metrics.</summary>
public sealed record ConfigurationComparison(int TonightRuns, int HistoryRuns, int HistoryNights, IReadOnlyList<MetricComparison> Metrics)
{
    public bool HasRegression => Metrics.Any(m => m.Verdict == Verdict.Regression);

    public bool HasImprovement => Metrics.Any(m => m.Verdict == Verdict.Improvement);

    public MetricComparison Metric(string name) => Metrics.First(m => m.Metric == name);
}

/// <summary>
/// Compares tonight's seeds of one configuration with its history (every seed of the earlier comparable nights, pooled):
/// time-to-target (Mann-Whitney U on censored times, bootstrap interval on the ratio of medians), reach probability
/// (Fisher's exact test) and throughput (Mann-Whitney U on samples/s). Deterministic: the bootstrap has a fixed seed.
/// </summary>
public static class RegressionDetector
{
    public static ConfigurationComparison Compare(IReadOnlyList<SeedMeasurement> tonight, IReadOnlyList<SeedMeasurement> history, RegressionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(tonight);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(policy);
        int nights = history.Select(h => h.Night).Distinct(StringComparer.Ordinal).Count();
        return new ConfigurationComparison(tonight.Count, history.Count, nights,
        [
            CompareTime(tonight, history, policy),
            CompareReach(tonight, history, policy),
            CompareThroughput(tonight, history, policy),
        ]);
    }

    private static MetricComparison CompareTime(IReadOnlyList<SeedMeasurement> tonight, IReadOnlyList<SeedMeasurement> history, RegressionPolicy policy)
    {
        double[] t = tonight.Select(m => m.TimeToTarget).ToArray();
        double[] h = history.Select(m => m.TimeToTarget).ToArray();
        return CompareRatio(Metrics.TimeToTarget, t, h, BetweenNights(history, m => m.TimeToTarget), policy, higherIsWorse: true);
    }

    /// <summary>
    /// Throughput paired with the reference workload when every trial on both sides has it (a machine that was busier
    /// for a moment cancels within each timing window); otherwise samples/s, the history already scaled to tonight's
    /// machine speed by the caller.
    /// </summary>
    private static MetricComparison CompareThroughput(IReadOnlyList<SeedMeasurement> tonight, IReadOnlyList<SeedMeasurement> history, RegressionPolicy policy)
    {
        bool paired = tonight.Concat(history).Where(m => double.IsFinite(m.SamplesPerSecond)).All(m => double.IsFinite(m.PairedThroughput)) &&
            tonight.Any(m => double.IsFinite(m.PairedThroughput));
        Func<SeedMeasurement, double> value = paired ? m => m.PairedThroughput : m => m.SamplesPerSecond;
        double[] t = tonight.Select(value).Where(double.IsFinite).ToArray();
        double[] h = history.Select(value).Where(double.IsFinite).ToArray();
        return CompareRatio(Metrics.Throughput, t, h, BetweenNights(history, value), policy, higherIsWorse: false) with { Basis = paired ? Metrics.Paired : Metrics.Scaled };
    }

    /// <summary>
    /// Night-to-night coefficient of variation of the history's per-night medians (nights with at least two finite
    /// values; NaN with fewer than two such nights): how much an unchanged configuration moves between nights on this
    /// machine, which seeds within one night cannot show.
    /// </summary>
    public static double BetweenNights(IReadOnlyList<SeedMeasurement> history, Func<SeedMeasurement, double> value)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(value);
        double[] medians = history.GroupBy(m => m.Night, StringComparer.Ordinal)
            .Select(g => g.Select(value).Where(double.IsFinite).ToArray())
            .Where(v => v.Length >= 2)
            .Select(v => Robust.Median(v))
            .ToArray();
        return medians.Length >= 2 ? Variation.Coefficient(medians) : double.NaN;
    }

    private static MetricComparison CompareRatio(string metric, double[] t, double[] h, double betweenNights, RegressionPolicy policy, bool higherIsWorse)
    {
        double tonightMedian = t.Length == 0 ? double.NaN : Robust.Median(t);
        double historyMedian = h.Length == 0 ? double.NaN : Robust.Median(h);
        double cv = MaxIgnoringNaN(MaxIgnoringNaN(Variation.Coefficient(t), Variation.Coefficient(h)), betweenNights);
        if (t.Length == 0 || h.Length == 0)
        {
            return new MetricComparison(metric, tonightMedian, historyMedian, double.NaN, double.NaN, double.NaN, double.NaN, cv, t.Length == 0 ? Verdict.Unchanged : Verdict.NoHistory,
                t.Length == 0 ? "no measurement tonight" : "no earlier night to compare with");
        }

        // SpeedUp's ratio is median(first) / median(second), with +infinity handled: here tonight / history.
        SpeedUpEstimate ratio = SpeedUp.Estimate(t, h);
        if (double.IsNaN(ratio.Estimate))
        {
            return new MetricComparison(metric, tonightMedian, historyMedian, double.NaN, double.NaN, double.NaN, double.NaN, cv, Verdict.Unchanged,
                "the median seed reached the target neither tonight nor before");
        }

        double change = ratio.Estimate - 1;
        bool up = change > 0 || double.IsPositiveInfinity(ratio.Estimate);
        double p = up ? MannWhitney.Greater(t, h).PValue : MannWhitney.Less(t, h).PValue;
        bool worse = up == higherIsWorse;
        (Verdict verdict, string note) = Decide(change, p, cv, betweenNights, policy, worse, metric == Metrics.TimeToTarget && double.IsPositiveInfinity(tonightMedian));
        return new MetricComparison(metric, tonightMedian, historyMedian, change, ratio.Low - 1, ratio.High - 1, p, cv, verdict, note);
    }

    private static MetricComparison CompareReach(IReadOnlyList<SeedMeasurement> tonight, IReadOnlyList<SeedMeasurement> history, RegressionPolicy policy)
    {
        int tReached = tonight.Count(m => m.Reached);
        int hReached = history.Count(m => m.Reached);
        double tShare = tonight.Count == 0 ? double.NaN : tReached / (double)tonight.Count;
        double hShare = history.Count == 0 ? double.NaN : hReached / (double)history.Count;
        if (tonight.Count == 0 || history.Count == 0)
        {
            return new MetricComparison(Metrics.ReachProbability, tShare, hShare, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
                tonight.Count == 0 ? Verdict.Unchanged : Verdict.NoHistory, tonight.Count == 0 ? "no measurement tonight" : "no earlier night to compare with");
        }

        double change = tShare - hShare;
        bool worse = change < 0;
        double p = worse
            ? FisherExact.Lower(tReached, tonight.Count, hReached, history.Count)
            : FisherExact.Lower(hReached, history.Count, tReached, tonight.Count);
        (Verdict verdict, string note) = Decide(change, p, double.NaN, double.NaN, policy, worse, reachedNothing: false);
        return new MetricComparison(Metrics.ReachProbability, tShare, hShare, change, double.NaN, double.NaN, p, double.NaN, verdict, note);
    }

    /// <summary>
    /// The verdict: significant (p &lt; alpha) and at least the minimum effect; the minimum rises to the CV when the
    /// samples are noisy (CV above max_cv), and always to twice the history's night-to-night drift (CV of its nightly
    /// medians), since a change smaller than what an unchanged configuration moves between nights is not evidence.
    /// </summary>
    private static (Verdict Verdict, string Note) Decide(double change, double p, double cv, double drift, RegressionPolicy policy, bool worse, bool reachedNothing)
    {
        double size = Math.Abs(change);
        bool significant = p < policy.Alpha;
        bool noisy = cv > policy.MaxCv;
        bool drifting = 2 * drift > policy.MinEffect;
        double needed = Math.Max(policy.MinEffect, Math.Max(noisy ? cv : 0, drifting ? 2 * drift : 0));
        string noise = noisy ? NoisyNote(cv, policy) : string.Empty;
        if (!significant || size < policy.MinEffect)
        {
            return (Verdict.Unchanged, noise);
        }

        if (size < needed)
        {
            string why = noisy && (!drifting || cv >= 2 * drift) ? noise : DriftNote(drift);
            return (Verdict.Noisy, why + $"; a change of {Percent(change)} cannot be told from noise");
        }

        string note = reachedNothing ? "the median seed did not reach the target tonight" : noise;
        return (worse ? Verdict.Regression : Verdict.Improvement, note);
    }

    private static string DriftNote(double drift) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"drifting: the history's nightly medians vary by {drift * 100:0}% (CV), so changes under {2 * drift * 100:0}% are not conclusive");


    private static string NoisyNote(double cv, RegressionPolicy policy) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"noisy: CV {cv * 100:0}% > {policy.MaxCv * 100:0}%, changes under {cv * 100:0}% are not conclusive; add seeds or use a suite whose trials run longer");

    private static string Percent(double change) =>
        double.IsInfinity(change) ? "+inf" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{change * 100:+0.0;-0.0}%");

    private static double MaxIgnoringNaN(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);
}
