namespace Tuner.Plots;

/// <summary>One evaluation of a run: training seconds so far (wall clock, evaluation time excluded) and the metric.</summary>
public sealed record CurvePoint(double Seconds, double Metric);

/// <summary>One seed's run of a configuration: its evaluations in any order (drawn sorted by seconds).</summary>
public sealed record CurveRun(long Seed, IReadOnlyList<CurvePoint> Points);

/// <summary>One configuration: a label for the legend and the runs of its seeds, all drawn in one colour.</summary>
public sealed record CurveSeries(string Label, IReadOnlyList<CurveRun> Runs);

/// <summary>
/// Metric against training time, one thin line per seed, one colour and one legend entry per configuration, and a
/// dashed line at the target. Rendered by <see cref="Charts.SaveAccuracyCurves"/>.
/// </summary>
public sealed record AccuracyCurveChart(string Title, string MetricName, double TargetValue, IReadOnlyList<CurveSeries> Series);
