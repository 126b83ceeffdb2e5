using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace Tuner.Plots.Tests;

/// <summary>What the charts contain, checked on the ScottPlot plot before it is rendered.</summary>
public sealed class RenderersTests
{
    private static string[] LegendTexts(Plot plot) => plot.Legend.ManualItems.Select(i => i.LabelText).ToArray();

    [Fact]
    public void AccuracyCurves_LegendHasOneEntryPerConfigurationAndTheTarget()
    {
        CurveRun Run(long seed) => new(seed, [new CurvePoint(1, 0.5), new CurvePoint(2, 0.8)]);
        var chart = new AccuracyCurveChart("t", "validation accuracy", 0.88, [new CurveSeries("a", [Run(1), Run(2)]), new CurveSeries("b", [Run(1)])]);

        Plot plot = AccuracyCurvesRenderer.Build(chart);

        Assert.Equal(["a (2 seeds)", "b (1 seed)", "target 0.88"], LegendTexts(plot));
        Assert.Equal(3, plot.GetPlottables().OfType<Scatter>().Count());
        Assert.Equal("training time (s)", plot.Axes.Bottom.Label.Text);
        Assert.Equal("validation accuracy", plot.Axes.Left.Label.Text);
    }

    [Fact]
    public void AccuracyCurves_TickLabels_AreInvariantUnderGermanCulture()
    {
        using var culture = new CultureScope("de-DE");

        Assert.Equal("0.85", ChartCanvas.Tick(0.85));
        Assert.Equal("12000", ChartCanvas.Tick(12000));
        Assert.Equal("0", ChartCanvas.Tick(-0.0));
        Assert.Equal("0.8", ChartCanvas.Number(0.8));
    }

    [Fact]
    public void Trend_NightNotReached_GetsAMarkerAndALegendEntry()
    {
        var chart = new TrendChart("t", [new TrendSeries("baseline", [
            new TrendPoint("2026-11-28T02-15-00Z", 10, 9, 11, 5, 5),
            new TrendPoint("2026-11-29T02-15-00Z", null, 9, null, 2, 5),
            new TrendPoint("2026-11-30T02-15-00Z", 12, 11, 13, 5, 5),
        ])]);

        Plot plot = TrendRenderer.Build(chart);

        Assert.Contains("not reached (median seed)", LegendTexts(plot));
        Markers crosses = Assert.Single(plot.GetPlottables().OfType<Markers>());
        Coordinates cross = Assert.Single(crosses.Data.GetScatterPoints());
        Assert.Equal(1, cross.X);
        Assert.True(cross.Y > 13, "the cross sits above all data");
        Assert.True(plot.Axes.GetLimits().Top > cross.Y, "and inside the chart");
        Assert.Equal(0, plot.Axes.GetLimits().Bottom);
    }

    [Fact]
    public void Trend_NeverReached_IsDrawnNotDropped()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tuner-trend-{Guid.NewGuid():N}.png");
        var chart = new TrendChart("t", [new TrendSeries("baseline", [
            new TrendPoint("n1", null, null, null, 0, 5),
            new TrendPoint("n2", null, null, null, 1, 5),
        ])]);
        try
        {
            Charts.SaveTimeToTargetTrend(chart, path);

            // The first series' colour (#1f77b4) left of the legend can only be the crosses.
            using SKBitmap bitmap = Png.Decode(path);
            static bool Blue(SKColor c) => Math.Abs(c.Red - 31) < 40 && Math.Abs(c.Green - 119) < 40 && Math.Abs(c.Blue - 180) < 40 && c.Blue > c.Red + 80;
            Assert.True(Png.Count(bitmap, new SKRectI(0, 0, 850, Charts.Height), Blue) > 30);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Trend_ManyNights_AreThinnedAndOrdered()
    {
        string[] nights = Enumerable.Range(0, 60).Select(i => new DateTime(2026, 10, 1, 2, 15, 0, DateTimeKind.Utc).AddDays(i).ToString("yyyy-MM-dd'T'HH-mm-ss'Z'", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        TrendPoint[] points = nights.Reverse().Select(n => new TrendPoint(n, 10, 9, 11, 5, 5)).ToArray();

        Plot plot = TrendRenderer.Build(new TrendChart("t", [new TrendSeries("baseline", points)]));
        using (plot.GetImage(Charts.Width, Charts.Height))
        {
            // Ticks are generated when the chart is laid out.
        }

        Tick[] major = plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).ToArray();
        Assert.InRange(major.Length, 10, 20);
        Assert.Equal(nights[0], major[0].Label);
        Assert.All(major, t => Assert.Equal(nights[(int)t.Position], t.Label));
        Assert.Equal(60, plot.Axes.Bottom.TickGenerator.Ticks.Length);
    }

    [Fact]
    public void Xy_LogAxisTicksInDataUnitsAndLegendOnlyNamedSeries()
    {
        Plot plot = XyRenderer.Build(SampleCharts.Ecdf());
        using (plot.GetImage(Charts.Width, Charts.Height))
        {
            // Ticks are generated when the chart is laid out.
        }

        Assert.Equal(["no technique (4/4)", "ema+cosine (3/5)"], LegendTexts(plot));
        string[] ticks = [.. plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label)];
        Assert.Contains("1", ticks);
        Assert.Contains("10", ticks); // log10 positions labelled as seconds, not exponents
        Assert.Equal(-0.02, plot.Axes.Left.Min, 6);
    }

    [Fact]
    public void Xy_Log2Axis_LabelsPowersOfTwo()
    {
        var chart = new XyChart("profile", "tau", "share", [new XySeries("a", [(1, 0.5), (2, 0.7), (8, 1)], XyStyle.Step, 0)]) { XLog2 = true };

        Plot plot = XyRenderer.Build(chart);
        using (plot.GetImage(Charts.Width, Charts.Height))
        {
        }

        Assert.Subset(new HashSet<string> { "1", "2", "4", "8" }, plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToHashSet());
    }
}
