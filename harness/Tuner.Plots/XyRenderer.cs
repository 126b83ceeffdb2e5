using ScottPlot;
using ScottPlot.TickGenerators;

namespace Tuner.Plots;

/// <summary>Builds an <see cref="XyChart"/>.</summary>
internal static class XyRenderer
{
    public static Plot Build(XyChart chart)
    {
        Plot plot = ChartCanvas.Create(chart.Title, chart.XLabel + (chart.XLog10 || chart.XLog2 ? " (log scale)" : string.Empty), chart.YLabel + (chart.YLog10 ? " (log scale)" : string.Empty));
        Func<double, double> fx = chart.XLog2 ? Math.Log2 : chart.XLog10 ? Math.Log10 : x => x;
        Func<double, double> fy = chart.YLog10 ? Math.Log10 : y => y;
        bool xUsable(double x) => double.IsFinite(x) && (!(chart.XLog2 || chart.XLog10) || x > 0);
        bool yUsable(double y) => double.IsFinite(y) && (!chart.YLog10 || y > 0);
        var legend = new List<LegendItem>();
        var extent = new Extent();
        foreach (XySeries series in chart.Series ?? [])
        {
            (double X, double Y)[] points = [.. (series.Points ?? []).Where(p => xUsable(p.X) && yUsable(p.Y)).Select(p => (fx(p.X), fy(p.Y)))];
            if (points.Length == 0)
            {
                continue;
            }

            Color color = series.Colour < 0 ? Colors.Gray : ChartCanvas.SeriesColor(series.Colour);
            foreach ((double x, double y) in points)
            {
                extent.Add(x, y);
            }

            double[] xs = [.. points.Select(p => p.X)];
            double[] ys = [.. points.Select(p => p.Y)];
            switch (series.Style)
            {
                case XyStyle.Step:
                    var (sx, sy) = Steps(xs, ys);
                    var step = plot.Add.ScatterLine(sx, sy, color);
                    step.LineWidth = 2.5f;
                    if (series.Label.Length > 0)
                    {
                        legend.Add(ChartCanvas.LineItem(series.Label, color, 3, LinePattern.Solid));
                    }

                    break;
                case XyStyle.Line or XyStyle.Dashed:
                    var line = plot.Add.ScatterLine(xs, ys, color);
                    line.LineWidth = series.Style == XyStyle.Dashed ? 1.5f : 2.5f;
                    line.LinePattern = series.Style == XyStyle.Dashed ? LinePattern.Dashed : LinePattern.Solid;
                    if (series.Label.Length > 0)
                    {
                        legend.Add(ChartCanvas.LineItem(series.Label, color, line.LineWidth, line.LinePattern));
                    }

                    break;
                default:
                    bool hollow = series.Style == XyStyle.HollowPoints;
                    var markers = plot.Add.ScatterPoints(xs, ys, color);
                    markers.MarkerShape = hollow ? MarkerShape.OpenCircle : MarkerShape.FilledCircle;
                    markers.MarkerSize = 8;
                    if (series.Label.Length > 0)
                    {
                        legend.Add(ChartCanvas.MarkerItem(series.Label, markers.MarkerShape, color, 8));
                    }

                    break;
            }
        }

        if (extent.IsEmpty)
        {
            ChartCanvas.NoData(plot);
            return plot;
        }

        double xPad = extent.XSpan > 0 ? extent.XSpan * 0.04 : 0.5;
        double yPad = extent.YSpan > 0 ? extent.YSpan * 0.05 : 0.5;
        (double yLow, double yHigh) = chart.YRange ?? (extent.YMin - yPad, extent.YMax + yPad);
        (double xLow, double xHigh) = (extent.XMin - xPad, extent.XMax + xPad);
        plot.Axes.SetLimits(xLow, xHigh, yLow, yHigh);
        if (chart.XLog2 || chart.XLog10)
        {
            plot.Axes.Bottom.TickGenerator = LogTicks(xLow, xHigh, chart.XLog2 ? 2 : 10);
        }

        if (chart.YLog10)
        {
            plot.Axes.Left.TickGenerator = LogTicks(yLow, yHigh, 10);
        }
        foreach (IAxis axis in plot.Axes.GetAxes())
        {
            ChartCanvas.UseFont(axis.TickLabelStyle);
            axis.TickLabelStyle.FontSize = ChartCanvas.TickLabelSize;
        }

        ChartCanvas.ShowLegend(plot, legend);
        return plot;
    }

    /// <summary>
    /// Ticks of a log axis (positions are logarithms) labelled in the data's units: powers of the base, and for a
    /// decimal axis spanning less than three decades also 2 and 5 times them.
    /// </summary>
    private static NumericManual LogTicks(double low, double high, double b)
    {
        var ticks = new NumericManual();
        double[] multiples = b == 10 && high - low < 3 ? [1, 2, 5] : [1];
        for (int e = (int)Math.Floor(low) - 1; e <= (int)Math.Ceiling(high); e++)
        {
            foreach (double m in multiples)
            {
                double position = e + Math.Log(m, b);
                if (position >= low && position <= high)
                {
                    ticks.AddMajor(position, ChartCanvas.Tick(Math.Round(m * Math.Pow(b, e), 6)));
                }
            }
        }

        return ticks;
    }

    /// <summary>The corners of a step line through the points: each new x first at the previous y.</summary>
    private static (double[] X, double[] Y) Steps(double[] xs, double[] ys)
    {
        var sx = new List<double> { xs[0] };
        var sy = new List<double> { ys[0] };
        for (int i = 1; i < xs.Length; i++)
        {
            sx.Add(xs[i]);
            sy.Add(ys[i - 1]);
            sx.Add(xs[i]);
            sy.Add(ys[i]);
        }

        return ([.. sx], [.. sy]);
    }
}
