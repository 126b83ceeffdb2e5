namespace Tuner.Plots;

/// <summary>One trial: its label, training seconds, the best metric it reached, and whether it reached the target.</summary>
public sealed record ParetoPoint(string Label, double Seconds, double Metric, bool Reached);

/// <summary>
/// Every trial as a small grey point with the Pareto front (<see cref="ParetoFront.Compute"/>) highlighted and joined by
/// a step line, and an optional dashed target line. Rendered by <see cref="Charts.SaveParetoFront"/>.
/// </summary>
public sealed record ParetoChart(string Title, string MetricName, double? TargetValue, IReadOnlyList<ParetoPoint> Points)
{
    /// <summary>The metric is better when lower (a loss): the front minimises it.</summary>
    public bool LowerIsBetter { get; init; }
}
