using ScottPlot;

namespace Tuner.Plots;

/// <summary>Builds the accuracy-against-training-time chart (<see cref="Charts.SaveAccuracyCurves"/>).</summary>
internal static class AccuracyCurvesRenderer
{
    /// <summary>Runs with at most this many evaluations also get a dot per evaluation.</summary>
    private const int MarkersUpTo = 40;

    public static Plot Build(AccuracyCurveChart chart)
    {
        Plot plot = ChartCanvas.Create(chart.Title, "training time (s)", chart.MetricName);
        var legend = new List<LegendItem>();
        var extent = new Extent();
        IReadOnlyList<CurveSeries> series = chart.Series ?? [];
        for (int i = 0; i < series.Count; i++)
        {
            Color color = ChartCanvas.SeriesColor(i);
            int seeds = 0;
            foreach (CurveRun run in series[i].Runs ?? [])
            {
                CurvePoint[] points = (run.Points ?? [])
                    .Where(p => double.IsFinite(p.Seconds) && double.IsFinite(p.Metric))
                    .OrderBy(p => p.Seconds)
                    .ToArray();
                if (points.Length == 0)
                {
                    continue;
                }

                var line = plot.Add.Scatter(points.Select(p => p.Seconds).ToArray(), points.Select(p => p.Metric).ToArray(), color.WithOpacity(0.75));
                line.LineWidth = 1.5f;
                line.MarkerSize = points.Length <= MarkersUpTo ? 4 : 0;
                foreach (CurvePoint point in points)
                {
                    extent.Add(point.Seconds, point.Metric);
                }

                seeds++;
            }

            if (seeds > 0)
            {
                string label = $"{series[i].Label} ({seeds.ToString(System.Globalization.CultureInfo.InvariantCulture)} seed{(seeds == 1 ? string.Empty : "s")})";
                legend.Add(ChartCanvas.LineItem(label, color, 3, LinePattern.Solid));
            }
        }

        if (extent.IsEmpty)
        {
            ChartCanvas.NoData(plot);
            return plot;
        }

        if (double.IsFinite(chart.TargetValue))
        {
            Color targetColor = Colors.Black.WithOpacity(0.7);
            var target = plot.Add.HorizontalLine(chart.TargetValue, 1.5f, targetColor, LinePattern.Dashed);
            legend.Add(ChartCanvas.LineItem("target " + ChartCanvas.Number(chart.TargetValue), targetColor, 1.5f, LinePattern.Dashed));
            extent.AddY(target.Y);
        }

        // Time starts at zero; the metric range gets a little air above and below.
        double yPad = extent.YSpan > 0 ? extent.YSpan * 0.05 : 0.05;
        double xHigh = extent.XMax > 0 ? extent.XMax * 1.02 : 1;
        plot.Axes.SetLimits(Math.Min(0, extent.XMin), xHigh, extent.YMin - yPad, extent.YMax + yPad);
        ChartCanvas.ShowLegend(plot, legend);
        return plot;
    }
}
