using Tuner.Core.Trials;
using Tuner.Plots;

namespace Tuner.Reports.Nightly;

/// <summary>
/// Writes everything a night produces into one folder: <c>trials.csv</c>, <c>summary.csv</c>, <c>summary.md</c> and,
/// per suite, <c>accuracy-SUITE.png</c> (accuracy against training time, every seed, target line) and
/// <c>trend-SUITE.png</c> (median time-to-target per night with its 95% interval band). Returns the file names.
/// </summary>
public static class NightlyOutputs
{
    public const string TrialsFile = "trials.csv";
    public const string SummaryFile = "summary.csv";
    public const string MarkdownFile = "summary.md";

    public static IReadOnlyList<string> Write(NightReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var files = new List<string> { TrialsFile, SummaryFile };
        NightlyCsv.WriteTrials(Path.Combine(directory, TrialsFile), report);
        NightlyCsv.WriteSummary(Path.Combine(directory, SummaryFile), report);
        foreach (SuiteNight suite in report.Suites)
        {
            string accuracy = $"accuracy-{Safe(suite.Suite)}.png";
            Charts.SaveAccuracyCurves(AccuracyChart(report, suite), Path.Combine(directory, accuracy));
            string trend = $"trend-{Safe(suite.Suite)}.png";
            Charts.SaveTimeToTargetTrend(TrendChart(report, suite), Path.Combine(directory, trend));
            files.Add(accuracy);
            files.Add(trend);
        }

        NightlyMarkdown.Write(Path.Combine(directory, MarkdownFile), report, files);
        files.Insert(2, MarkdownFile);
        return files;
    }

    public static AccuracyCurveChart AccuracyChart(NightReport report, SuiteNight suite)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(suite);
        return new AccuracyCurveChart(
            $"{suite.Suite}: {ValidationMetric(suite.TargetMetric)} during training, night {report.Night}",
            ValidationMetric(suite.TargetMetric),
            suite.TargetValue,
            [.. suite.Configurations.Select(c => new CurveSeries(c.Label, [.. c.Runs.Select(Run)]))]);
    }

    public static TrendChart TrendChart(NightReport report, SuiteNight suite)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(suite);
        return new TrendChart(
            $"{suite.Suite}: median time to {suite.TargetMetric} {NightlyFormat.Number(suite.TargetValue)} per night (band: 95% CI over seeds)",
            [.. suite.Configurations.Select(c => new TrendSeries(c.Label, [.. c.Trend.Select(p => new TrendPoint(
                p.Injected ? p.Night + " (injected)" : p.Night,
                Finite(p.TimeToTarget.Estimate),
                Finite(p.TimeToTarget.Low),
                Finite(p.TimeToTarget.High),
                p.Reached,
                p.Runs))]))]);
    }

    private static CurveRun Run(TrialRecord record) =>
        new(record.Seed, [.. record.Curve.Select(p => new CurvePoint(p.TrainSeconds, p.Metric))]);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Safe(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));

    /// <summary>"validation accuracy", from a history's metric name: new nights name it so already; nights from before measurement protocol 2 said "accuracy" (checked on the test split).</summary>
    public static string ValidationMetric(string metric) =>
        metric.StartsWith("validation ", StringComparison.Ordinal) ? metric : $"{metric} (test split, protocol 1)";
}
