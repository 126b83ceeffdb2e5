using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace Tuner.Plots;

/// <summary>Builds the time-to-target trend chart (<see cref="Charts.SaveTimeToTargetTrend"/>).</summary>
internal static class TrendRenderer
{
    /// <summary>At most this many nights are labelled; the others get a minor tick.</summary>
    private const int MaxLabels = 20;

    /// <summary>Rotation of the night labels (degrees; negative = rising to the right, text ending at its tick).</summary>
    private const float LabelRotation = -45;

    private static readonly Color Neutral = Colors.Black.WithOpacity(0.6);

    public static Plot Build(TrendChart chart)
    {
        Plot plot = ChartCanvas.Create(chart.Title, "night", "time to target (s)");
        IReadOnlyList<TrendSeries> series = chart.Series ?? [];
        string[] nights = series
            .SelectMany(s => s.Points ?? [])
            .Select(p => p.Night)
            .Where(n => n is not null)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (nights.Length == 0)
        {
            ChartCanvas.NoData(plot);
            return plot;
        }

        var index = nights.Select((night, i) => (night, i)).ToDictionary(x => x.night, x => (double)x.i, StringComparer.Ordinal);
        var ordered = series
            .Select(s => (s.Label, Points: (s.Points ?? []).Where(p => p.Night is not null).OrderBy(p => index[p.Night]).ToArray()))
            .ToArray();

        // Finite values set the scale; nights the median seed did not reach get a row of crosses above them, one row
        // per series that has any, so they stay visible and do not hide each other.
        double dataMax = ordered.SelectMany(s => s.Points).SelectMany(p => new[] { p.Median, p.High, p.Low })
            .Where(Finite).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        if (dataMax <= 0)
        {
            dataMax = 1;
        }

        int missingRows = ordered.Count(s => s.Points.Any(p => !Finite(p.Median)));
        double RowY(int row) => dataMax * (1.07 + (0.05 * row));
        double yTop = missingRows == 0 ? dataMax * 1.08 : RowY(missingRows - 1) + (dataMax * 0.05);

        // Bands first, so no series' band covers another series' line.
        for (int i = 0; i < ordered.Length; i++)
        {
            foreach (TrendPoint[] run in Runs(ordered[i].Points, p => Finite(p.Low) && Finite(p.High)))
            {
                AddBand(plot, run, index, ChartCanvas.SeriesColor(i));
            }
        }

        var legend = new List<LegendItem>();
        int missingRow = 0;
        for (int i = 0; i < ordered.Length; i++)
        {
            Color color = ChartCanvas.SeriesColor(i);
            TrendPoint[] points = ordered[i].Points;
            foreach (TrendPoint[] run in Runs(points, p => Finite(p.Median)))
            {
                var line = plot.Add.Scatter(run.Select(p => index[p.Night]).ToArray(), run.Select(p => p.Median!.Value).ToArray(), color);
                line.LineWidth = 2;
                line.MarkerSize = 7;
                line.MarkerShape = MarkerShape.FilledCircle;
            }

            double[] missing = points.Where(p => !Finite(p.Median)).Select(p => index[p.Night]).ToArray();
            if (missing.Length > 0)
            {
                var crosses = plot.Add.Markers(missing, missing.Select(_ => RowY(missingRow)).ToArray(), MarkerShape.Eks, 12, color);
                crosses.MarkerStyle.LineWidth = 2.5f;
                missingRow++;
            }

            LegendItem item = ChartCanvas.MarkerItem(ordered[i].Label ?? string.Empty, MarkerShape.FilledCircle, color, 7, new LineStyle { Width = 2, Color = color });
            item.FillColor = color.WithOpacity(0.2);
            legend.Add(item);
        }

        legend.Add(new LegendItem { LabelText = "95% interval", FillColor = Neutral.WithOpacity(0.2), LineStyle = LineStyle.None, MarkerStyle = MarkerStyle.None });
        if (missingRows > 0)
        {
            LegendItem notReached = ChartCanvas.MarkerItem("not reached (median seed)", MarkerShape.Eks, Neutral, 12);
            notReached.MarkerLineWidth = 2.5f;
            legend.Add(notReached);
        }

        SetNightTicks(plot, nights);
        plot.Axes.SetLimits(-0.6, nights.Length - 0.4, 0, yTop);
        ChartCanvas.ShowLegend(plot, legend);
        return plot;
    }

    private static bool Finite(double? value) => value is double v && double.IsFinite(v);

    /// <summary>Maximal runs of consecutive points that satisfy <paramref name="keep"/>.</summary>
    private static IEnumerable<TrendPoint[]> Runs(TrendPoint[] points, Func<TrendPoint, bool> keep)
    {
        var run = new List<TrendPoint>();
        foreach (TrendPoint point in points)
        {
            if (keep(point))
            {
                run.Add(point);
                continue;
            }

            if (run.Count > 0)
            {
                yield return run.ToArray();
                run.Clear();
            }
        }

        if (run.Count > 0)
        {
            yield return run.ToArray();
        }
    }

    private static void AddBand(Plot plot, TrendPoint[] run, Dictionary<string, double> index, Color color)
    {
        Color fill = color.WithOpacity(0.2);
        if (run.Length == 1)
        {
            // A lone night's interval: a short wide bar instead of a band of zero width.
            double x = index[run[0].Night];
            var bar = plot.Add.Line(x, run[0].Low!.Value, x, run[0].High!.Value);
            bar.LineWidth = 10;
            bar.LineColor = fill;
            bar.MarkerSize = 0;
            return;
        }

        var band = plot.Add.FillY(run.Select(p => index[p.Night]).ToArray(), run.Select(p => p.Low!.Value).ToArray(), run.Select(p => p.High!.Value).ToArray());
        band.FillColor = fill;
        band.LineWidth = 0;
        band.MarkerSize = 0;
    }

    /// <summary>Night names as rotated tick labels, thinned to at most <see cref="MaxLabels"/>, with room reserved for them.</summary>
    private static void SetNightTicks(Plot plot, string[] nights)
    {
        int step = (nights.Length + MaxLabels - 1) / MaxLabels;
        var ticks = new NumericManual();
        for (int i = 0; i < nights.Length; i++)
        {
            if (i % step == 0)
            {
                ticks.AddMajor(i, nights[i]);
            }
            else
            {
                ticks.AddMinor(i);
            }
        }

        IAxis bottom = plot.Axes.Bottom;
        bottom.TickGenerator = ticks;
        bottom.TickLabelStyle.Rotation = LabelRotation;
        bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;

        // Room for the longest label at 45 degrees below the axis, and left of the first tick where it ends.
        using SKFont font = new(Fonts.GetTypeface(PlotFonts.Family, false, false), ChartCanvas.TickLabelSize);
        float longest = nights.Max(n => font.MeasureText(n));
        float slant = (longest + ChartCanvas.TickLabelSize) * MathF.Sqrt(0.5f);
        bottom.MinimumSize = slant + (ChartCanvas.AxisLabelSize * 2) + 12;
        plot.Axes.Left.MinimumSize = slant + 8;

        // Keep the axis title beside its tick labels rather than at the far edge of the widened panel.
        float tickWidth = font.MeasureText("00.0");
        float natural = tickWidth + (ChartCanvas.AxisLabelSize * 1.5f) + 20;
        plot.Axes.Left.Label.OffsetX = Math.Max(0, plot.Axes.Left.MinimumSize - natural);
    }
}
