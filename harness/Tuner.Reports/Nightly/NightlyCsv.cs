using Tuner.Core.Regression;
using Tuner.Core.Trials;
using static Tuner.Reports.Nightly.NightlyFormat;

namespace Tuner.Reports.Nightly;

/// <summary>
/// The per-night CSVs (invariant culture, formula-injection safe via <see cref="CsvTable"/>; columns documented in
/// results/README.md): <c>trials.csv</c>, one row per trial; <c>summary.csv</c>, one row per tracked configuration with
/// its ratios against the baseline and against the history and each metric's p-value and verdict.
/// </summary>
public static class NightlyCsv
{
    public static readonly IReadOnlyList<string> TrialColumns =
    [
        "manifest", "night", "suite", "label", "seed", "status", "time_to_target_s", "censored_at_s", "steps_to_target", "samples_to_target", "best_metric",
        "final_metric", "test_metric", "steps", "samples", "train_s", "eval_s", "samples_per_s", "throughput_samples_per_s", "paired_throughput", "peak_rss_mb", "injected_slowdown", "machine_step_ms", "started_at",
        "configuration", "failure_reason", "run_id", "git_commit",
    ];

    public static readonly IReadOnlyList<string> SummaryColumns =
    [
        "manifest", "night", "suite", "label", "baseline", "configuration", "budget", "target", "seeds", "reached", "reach_share",
        "median_ttt_s", "ttt_ci_low_s", "ttt_ci_high_s", "speedup_vs_baseline", "speedup_ci_low", "speedup_ci_high",
        "history_nights", "history_runs", "history_median_ttt_s", "ttt_vs_history", "ttt_vs_history_ci_low", "ttt_vs_history_ci_high",
        "ttt_p", "ttt_cv", "ttt_verdict", "history_reach_share", "reach_change", "reach_p", "reach_verdict",
        "median_samples_per_s", "throughput_basis", "throughput_tonight", "throughput_history", "throughput_vs_history", "throughput_p", "throughput_cv", "throughput_verdict",
        "injected_slowdown", "machine_vs_history", "notes", "git_commit",
    ];

    public static void WriteTrials(string path, NightReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        CsvTable.Write(path, TrialColumns,
            from suite in report.Suites
            from c in suite.Configurations
            from r in c.Runs
            select (IReadOnlyList<string>)
            [
                report.Manifest, report.Night, suite.Suite, c.Label, CsvTable.Whole(r.Seed), r.Status.ToString(), Number(r.TimeToTargetSeconds),
                Number(r.CensoredAtSeconds), CsvTable.Whole(r.StepsToTarget), CsvTable.Whole(r.SamplesToTarget), Number(r.BestMetric), Number(r.FinalMetric), Number(r.TestMetric), CsvTable.Whole(r.Steps),
                CsvTable.Whole(r.Samples), Number(r.TrainSeconds), Number(r.EvalSeconds), Number(r.SamplesPerSecond), Number(r.ThroughputSamplesPerSecond), Number(r.PairedThroughput), Number(r.PeakRssBytes / 1048576.0),
                Number(c.Slowdown), Number(r.Environment.CalibrationStepSeconds * 1000), CsvTable.Time(r.StartedAt), r.Configuration.ToString(), r.FailureReason ?? string.Empty, r.RunId,
                r.Environment.GitCommit ?? string.Empty,
            ]);
    }

    public static void WriteSummary(string path, NightReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        CsvTable.Write(path, SummaryColumns,
            from suite in report.Suites
            from c in suite.Configurations
            let time = c.Comparison.Metric(Metrics.TimeToTarget)
            let reach = c.Comparison.Metric(Metrics.ReachProbability)
            let throughput = c.Comparison.Metric(Metrics.Throughput)
            select (IReadOnlyList<string>)
            [
                report.Manifest, report.Night, suite.Suite, c.Label, c.IsBaseline ? "1" : "0", c.Configuration, suite.Budget, Number(suite.TargetValue),
                CsvTable.Whole(c.Runs.Count), CsvTable.Whole(c.Reached), Number(c.ReachShare),
                Number(c.TimeToTarget.Estimate), Number(c.TimeToTarget.Low), Number(c.TimeToTarget.High),
                Number(c.SpeedUpVsBaseline?.Estimate), Number(c.SpeedUpVsBaseline?.Low), Number(c.SpeedUpVsBaseline?.High),
                CsvTable.Whole(c.Comparison.HistoryNights), CsvTable.Whole(c.Comparison.HistoryRuns), Number(time.History),
                Number(1 + time.Change), Number(1 + time.ChangeLow), Number(1 + time.ChangeHigh), P(time.PValue), Number(time.Cv), Word(time.Verdict),
                Number(reach.History), Number(reach.Change), P(reach.PValue), Word(reach.Verdict),
                Number(c.MedianThroughput), throughput.Basis, Number(throughput.Tonight), Number(throughput.History), Number(1 + throughput.Change), P(throughput.PValue), Number(throughput.Cv), Word(throughput.Verdict),
                Number(c.Slowdown), Number(suite.MachineVsHistory), string.Join(" | ", c.Comparison.Metrics.Where(m => m.Note.Length > 0).Select(m => m.Metric + ": " + m.Note)),
                c.GitCommit ?? string.Empty,
            ]);
    }
}
