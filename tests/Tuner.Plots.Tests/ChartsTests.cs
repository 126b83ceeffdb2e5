using SkiaSharp;

namespace Tuner.Plots.Tests;

public sealed class ChartsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-plots").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    public static TheoryData<string> Kinds => new() { "accuracy", "trend", "xy" };

    public static TheoryData<string> EmptyKinds => new() { "accuracy", "accuracy-no-points", "trend", "trend-no-points", "xy", "xy-not-finite" };

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static void Save(string kind, string path, string? title = null)
    {
        switch (kind)
        {
            case "accuracy":
                AccuracyCurveChart accuracy = SampleCharts.Accuracy(3, 3, 30);
                Charts.SaveAccuracyCurves(title is null ? accuracy : accuracy with { Title = title }, path);
                break;
            case "trend":
                TrendChart trend = SampleCharts.Trend(12, 2);
                Charts.SaveTimeToTargetTrend(title is null ? trend : trend with { Title = title }, path);
                break;
            case "xy":
                XyChart xy = SampleCharts.Ecdf();
                Charts.SaveXy(title is null ? xy : xy with { Title = title }, path);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static void SaveEmpty(string kind, string path)
    {
        switch (kind)
        {
            case "accuracy":
                Charts.SaveAccuracyCurves(new AccuracyCurveChart("empty", "validation accuracy", 0.88, []), path);
                break;
            case "accuracy-no-points":
                Charts.SaveAccuracyCurves(new AccuracyCurveChart("empty", "validation accuracy", 0.88, [new CurveSeries("baseline", [new CurveRun(1, [])])]), path);
                break;
            case "trend":
                Charts.SaveTimeToTargetTrend(new TrendChart("empty", []), path);
                break;
            case "trend-no-points":
                Charts.SaveTimeToTargetTrend(new TrendChart("empty", [new TrendSeries("baseline", [])]), path);
                break;
            case "xy":
                Charts.SaveXy(new XyChart("empty", "x", "y", []), path);
                break;
            case "xy-not-finite":
                Charts.SaveXy(new XyChart("empty", "x", "y", [new XySeries("nan", [(double.NaN, 0.5), (-1, 2)], XyStyle.Points, 0)]) { XLog10 = true }, path);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Save_WritesPngOfChartSizeWithContent(string kind)
    {
        string path = PathOf(kind + ".png");

        Save(kind, path);

        Assert.Equal((Charts.Width, Charts.Height), Png.Header(path));
        using SKBitmap bitmap = Png.Decode(path);
        Assert.True(Png.Colours(bitmap) > 100, $"only {Png.Colours(bitmap)} colours");
        Assert.True(Png.Count(bitmap, new SKRectI(0, 0, bitmap.Width, bitmap.Height), Png.Dark) > 2000);
    }

    [Theory]
    [MemberData(nameof(EmptyKinds))]
    public void Save_EmptyInput_WritesNoDataChart(string kind)
    {
        string path = PathOf(kind + "-empty.png");

        SaveEmpty(kind, path);

        Assert.Equal((Charts.Width, Charts.Height), Png.Header(path));
        using SKBitmap bitmap = Png.Decode(path);
        static bool NoteGrey(SKColor c) => c.Red == c.Green && c.Green == c.Blue && c.Red is > 100 and < 170;
        int note = Png.Count(bitmap, new SKRectI(400, 280, 800, 420), NoteGrey);
        Assert.True(note > 150, $"no 'no data' note in the middle ({note} grey pixels)");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Save_UnderGermanCulture_IsByteIdenticalToInvariant(string kind)
    {
        string invariant = PathOf(kind + "-invariant.png");
        string german = PathOf(kind + "-de.png");
        using (new CultureScope(""))
        {
            Save(kind, invariant);
        }

        using (new CultureScope("de-DE"))
        {
            Save(kind, german);
        }

        Assert.Equal(File.ReadAllBytes(invariant), File.ReadAllBytes(german));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Save_Title_IsDrawnAsText(string kind)
    {
        // Same layout (a one-dot title keeps the title row), so the ink difference in that row is the title's glyphs:
        // none at all where no usable font was found.
        string with = PathOf(kind + "-title.png");
        string without = PathOf(kind + "-dot-title.png");

        Save(kind, with, "Wall Time Throughput Study");
        Save(kind, without, ".");

        var strip = new SKRectI(0, 0, Charts.Width, 40);
        using SKBitmap titled = Png.Decode(with);
        using SKBitmap dotted = Png.Decode(without);
        int inkWith = Png.Count(titled, strip, Png.Dark);
        int inkWithout = Png.Count(dotted, strip, Png.Dark);
        Assert.True(inkWith > 400, $"title strip has {inkWith} dark pixels: is a font installed?");
        Assert.True(inkWithout < 60, $"title strip with a one-dot title has {inkWithout} dark pixels");
    }

    [Fact]
    public void Save_MissingFolder_IsCreatedAndNoTemporaryFileRemains()
    {
        string path = Path.Combine(_dir, "a", "b", "chart.png");

        Charts.SaveXy(SampleCharts.Ecdf(), path);

        Assert.Equal([path], Directory.GetFiles(_dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Save_ExistingFile_IsReplaced()
    {
        string path = PathOf("chart.png");
        File.WriteAllText(path, "not a png");

        Charts.SaveAccuracyCurves(SampleCharts.Accuracy(1, 1, 5), path);

        Assert.Equal((Charts.Width, Charts.Height), Png.Header(path));
    }

    [Fact]
    public void Save_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => Charts.SaveXy(SampleCharts.Ecdf(), " "));
        Assert.Throws<ArgumentNullException>(() => Charts.SaveTimeToTargetTrend(null!, PathOf("x.png")));
    }
}
