using ScottPlot;
using SkiaSharp;

namespace Tuner.Plots;

/// <summary>Builds the Pareto-front chart (<see cref="Charts.SaveParetoFront"/>).</summary>
internal static class ParetoRenderer
{
    /// <summary>Front points are labelled with their trial's label when there are at most this many.</summary>
    private const int LabelledUpTo = 8;

    private static readonly Color Trial = new(95, 95, 95, 150);
    private static readonly Color TrialNotReached = new(95, 95, 95, 110);
    private static readonly Color Front = ChartCanvas.SeriesColor(3);

    public static Plot Build(ParetoChart chart)
    {
        Plot plot = ChartCanvas.Create(chart.Title, "training time (s)", chart.MetricName);
        ParetoPoint[] points = (chart.Points ?? []).Where(p => double.IsFinite(p.Seconds) && double.IsFinite(p.Metric)).ToArray();
        if (points.Length == 0)
        {
            ChartCanvas.NoData(plot);
            return plot;
        }

        var legend = new List<LegendItem>();
        var extent = new Extent();
        foreach (ParetoPoint point in points)
        {
            extent.Add(point.Seconds, point.Metric);
        }

        AddTrials(plot, points.Where(p => p.Reached).ToArray(), MarkerShape.FilledCircle, Trial);
        AddTrials(plot, points.Where(p => !p.Reached).ToArray(), MarkerShape.OpenCircle, TrialNotReached);
        legend.Add(ChartCanvas.MarkerItem("trials", MarkerShape.FilledCircle, Trial, 7));
        if (points.Any(p => !p.Reached))
        {
            legend.Add(ChartCanvas.MarkerItem("trials, target not reached", MarkerShape.OpenCircle, TrialNotReached, 7));
        }

        IReadOnlyList<ParetoPoint> front = ParetoFront.Compute(points, chart.LowerIsBetter);
        var step = plot.Add.Scatter(front.Select(p => p.Seconds).ToArray(), front.Select(p => p.Metric).ToArray(), Front);
        step.ConnectStyle = ConnectStyle.StepHorizontal;
        step.LineWidth = 2.5f;
        step.MarkerSize = 0;
        AddTrials(plot, front.Where(p => p.Reached).ToArray(), MarkerShape.FilledCircle, Front, 10);
        AddTrials(plot, front.Where(p => !p.Reached).ToArray(), MarkerShape.OpenCircle, Front, 10);
        legend.Add(ChartCanvas.MarkerItem("Pareto front", MarkerShape.FilledCircle, Front, 10, new LineStyle { Width = 2.5f, Color = Front }));

        if (chart.TargetValue is double target && double.IsFinite(target))
        {
            Color targetColor = Colors.Black.WithOpacity(0.7);
            plot.Add.HorizontalLine(target, 1.5f, targetColor, LinePattern.Dashed);
            legend.Add(ChartCanvas.LineItem("target " + ChartCanvas.Number(target), targetColor, 1.5f, LinePattern.Dashed));
            extent.AddY(target);
        }

        // Time from zero unless every trial is slow enough that zero would squeeze them to the right edge.
        double xLow = extent.XMin < 0.4 * extent.XMax ? Math.Min(0, extent.XMin) : extent.XMin - (0.08 * extent.XSpan);
        double xHigh = extent.XMax + (extent.XSpan > 0 ? extent.XSpan * 0.06 : Math.Max(1, Math.Abs(extent.XMax) * 0.1));
        double yPad = extent.YSpan > 0 ? extent.YSpan * 0.08 : 0.05;
        plot.Axes.SetLimits(xLow, xHigh, extent.YMin - yPad, extent.YMax + yPad);

        ChartCanvas.ShowLegend(plot, legend);
        if (front.Count <= LabelledUpTo)
        {
            AddLabels(plot, front);
        }

        return plot;
    }

    private static void AddTrials(Plot plot, ParetoPoint[] points, MarkerShape shape, Color color, float size = 7)
    {
        if (points.Length == 0)
        {
            return;
        }

        var markers = plot.Add.Markers(points.Select(p => p.Seconds).ToArray(), points.Select(p => p.Metric).ToArray(), shape, size, color);
        markers.MarkerStyle.LineWidth = 1.5f;
    }

    /// <summary>
    /// Labels each front point beside it: lays the chart out once to know where the points land, then puts each label
    /// in the best of eight places around its point, inside the data area, by least overlap with what is already
    /// there (another label weighs most, a front marker less, a step line least); ties go to the earlier place, and
    /// above-left comes first, since nothing is faster and better than a front point.
    /// </summary>
    private static void AddLabels(Plot plot, IReadOnlyList<ParetoPoint> front)
    {
        const float Gap = 6;
        const float Pad = 2;
        const int LabelWeight = 10;
        const int MarkerWeight = 5;
        const int LineWeight = 1;
        using (plot.GetImage(Charts.Width, Charts.Height))
        {
            // Rendered only for its layout: data coordinates to pixels.
        }

        PixelRect area = plot.RenderManager.LastRender.DataRect;
        Pixel[] at = front.Select(p => plot.GetPixel(new Coordinates(p.Seconds, p.Metric))).ToArray();
        var taken = at.Select(p => (Box: new Box(p.X - Gap, p.Y - Gap, p.X + Gap, p.Y + Gap), Weight: MarkerWeight)).ToList();
        for (int i = 0; i + 1 < at.Length; i++)
        {
            taken.Add((new Box(at[i].X, at[i].Y - 2, at[i + 1].X, at[i].Y + 2), LineWeight));
            taken.Add((new Box(at[i + 1].X - 2, Math.Min(at[i].Y, at[i + 1].Y), at[i + 1].X + 2, Math.Max(at[i].Y, at[i + 1].Y)), LineWeight));
        }

        using SKFont font = new(Fonts.GetTypeface(PlotFonts.Family, false, false), ChartCanvas.AnnotationSize);
        for (int i = 0; i < front.Count; i++)
        {
            string label = front[i].Label ?? string.Empty;
            if (label.Length == 0)
            {
                continue;
            }

            float w = font.MeasureText(label) + (2 * Pad);
            float h = font.Spacing + (2 * Pad);
            float x = at[i].X;
            float y = at[i].Y;
            float left = x - Gap - w;
            float right = x + Gap;
            float above = y - Gap - h;
            float below = y + Gap;
            Box[] candidates =
            [
                new(left, above, left + w, above + h),
                new(right, below, right + w, below + h),
                new(right, above, right + w, above + h),
                new(left, below, left + w, below + h),
                new(left, above - h, left + w, above),
                new(right, below + h, right + w, below + (2 * h)),
                new(right, above - h, right + w, above),
                new(left, below + h, left + w, below + (2 * h)),
            ];
            Box[] inside = candidates.Where(c => c.Left >= area.Left && c.Right <= area.Right && c.Top >= area.Top && c.Bottom <= area.Bottom).ToArray();
            Box best = (inside.Length > 0 ? inside : candidates).OrderBy(c => taken.Where(t => c.Overlaps(t.Box)).Sum(t => t.Weight)).First();
            taken.Add((best, LabelWeight));

            var text = plot.Add.Text(label, front[i].Seconds, front[i].Metric);
            ChartCanvas.UseFont(text.LabelStyle);
            text.LabelFontSize = ChartCanvas.AnnotationSize;
            text.LabelFontColor = Colors.Black.WithOpacity(0.85);
            text.LabelBackgroundColor = Colors.White.WithOpacity(0.85);
            text.LabelPadding = Pad;
            text.LabelAlignment = Alignment.UpperLeft;
            text.OffsetX = best.Left + Pad - x;
            text.OffsetY = best.Top + Pad - y;
        }
    }

    private readonly record struct Box(float Left, float Top, float Right, float Bottom)
    {
        public bool Overlaps(Box other) => Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;
    }
}
