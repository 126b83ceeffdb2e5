namespace Tuner.Plots;

/// <summary>
/// One night of one series: the median time to target over the seeds and its interval (seconds; null where the median
/// seed, or that end of the interval, did not reach the target), and how many of the runs reached it.
/// </summary>
public sealed record TrendPoint(string Night, double? Median, double? Low, double? High, int Reached, int Runs);

/// <summary>One configuration followed night by night.</summary>
public sealed record TrendSeries(string Label, IReadOnlyList<TrendPoint> Points);

/// <summary>
/// Time to target night by night: per series a line through the medians over a translucent interval band, and a
/// cross at the top edge for each night whose median did not reach the target. Nights are ordered ordinally (ISO 8601
/// stamps such as "2026-11-30T02-15-00Z" sort by time). Rendered by <see cref="Charts.SaveTimeToTargetTrend"/>.
/// </summary>
public sealed record TrendChart(string Title, IReadOnlyList<TrendSeries> Series);
