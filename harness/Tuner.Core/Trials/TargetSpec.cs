using System.Globalization;

namespace Tuner.Core.Trials;

/// <summary>The goal of a suite: <see cref="Metric"/> on the validation split must reach at least <see cref="Value"/>.</summary>
public sealed record TargetSpec(string Metric, double Value)
{
    /// <summary>
    /// The metric as studies and nightly histories name it (<c>validation accuracy</c>): measurement protocol 2 checks
    /// the target on the validation split. Studies made before it (target checked on the test split) were named by the
    /// bare metric, so they are refused as "created with another target" rather than mixed with new trials.
    /// </summary>
    public string StudyMetric => "validation " + Metric;

    public bool IsReachedBy(double metricValue) => metricValue >= Value;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Metric} >= {Value:0.####}");
}
