using System.Globalization;

namespace Tuner.Core.Trials;

/// <summary>The goal of a suite: <see cref="Metric"/> on the held-out split must reach at least <see cref="Value"/>.</summary>
public sealed record TargetSpec(string Metric, double Value)
{
    public bool IsReachedBy(double metricValue) => metricValue >= Value;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Metric} >= {Value:0.####}");
}
