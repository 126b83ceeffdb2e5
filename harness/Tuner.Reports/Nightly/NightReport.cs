using Tuner.Core.Regression;
using Tuner.Core.Statistics;
using Tuner.Core.Trials;

namespace Tuner.Reports.Nightly;

/// <summary>One night of one configuration in its time-to-target trend.</summary>
public sealed record NightPoint(string Night, Interval TimeToTarget, int Reached, int Runs, bool Injected);

/// <summary>Everything reported about one tracked configuration on one night.</summary>
/// <param name="Label">Its label in the manifest (the baseline is labelled <c>baseline</c>).</param>
/// <param name="Configuration">Canonical configuration text.</param>
/// <param name="IsBaseline">Whether it is the suite's baseline recipe.</param>
/// <param name="Slowdown">Injected slowdown factor (1: none).</param>
/// <param name="Runs">Tonight's trial records, seed order.</param>
/// <param name="TimeToTarget">Median time-to-target over seeds (+infinity: the median seed missed) and its 95% bootstrap interval.</param>
/// <param name="MedianThroughput">Median training samples per second.</param>
/// <param name="SpeedUpVsBaseline">Median baseline time / median time, with its interval (null for the baseline).</param>
/// <param name="Comparison">Tonight against the history.</param>
/// <param name="Trend">This configuration's nights up to tonight (comparable ones only).</param>
public sealed record ConfigurationNight(
    string Label,
    string Configuration,
    bool IsBaseline,
    double Slowdown,
    IReadOnlyList<TrialRecord> Runs,
    Interval TimeToTarget,
    double MedianThroughput,
    SpeedUpEstimate? SpeedUpVsBaseline,
    ConfigurationComparison Comparison,
    IReadOnlyList<NightPoint> Trend)
{
    public int Reached => Runs.Count(r => r.Status == TrialStatus.Reached);

    public double ReachShare => Runs.Count == 0 ? double.NaN : Reached / (double)Runs.Count;

    public string? GitCommit => Runs.Select(r => r.Environment.GitCommit).FirstOrDefault(c => !string.IsNullOrEmpty(c));
}

/// <summary>One suite of one night.</summary>
public sealed record SuiteNight(string Suite, string Budget, string TargetMetric, double TargetValue, IReadOnlyList<ConfigurationNight> Configurations, IReadOnlyList<string> Notes)
{
    /// <summary>Tonight's reference step time over the history's (above 1: the machine was slower tonight); null when not measured.</summary>
    public double? MachineVsHistory { get; init; }

    /// <summary>Each night's machine speed up to tonight: the median reference step time of its trials (null where not measured).</summary>
    public IReadOnlyList<MachineSpeedPoint> MachineSpeeds { get; init; } = [];
}

/// <summary>One night's machine speed: median seconds per step of the plain-TorchSharp reference workload (null: not measured).</summary>
public sealed record MachineSpeedPoint(string Night, double? StepSeconds);

/// <summary>One night of a nightly manifest, analysed against its history: what the CSVs, the Markdown summary and the plots show.</summary>
public sealed record NightReport(
    string Manifest,
    string Night,
    DateTimeOffset StartedAt,
    RegressionPolicy Policy,
    string Environment,
    IReadOnlyList<SuiteNight> Suites)
{
    public IEnumerable<(SuiteNight Suite, ConfigurationNight Configuration, MetricComparison Metric)> Findings(Verdict verdict) =>
        from s in Suites
        from c in s.Configurations
        from m in c.Comparison.Metrics
        where m.Verdict == verdict
        select (s, c, m);

    public bool HasRegression => Findings(Verdict.Regression).Any();
}
