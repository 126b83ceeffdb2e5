namespace Tuner.Plots;

/// <summary>
/// Renders the harness's charts to PNG files of <see cref="Width"/> x <see cref="Height"/> pixels: plain data in, the
/// same picture under every culture, a "no data" chart for empty input, written atomically (temporary file, then
/// moved) into a folder created if missing.
/// </summary>
/// <exception cref="InvalidOperationException">Thrown by every method when no usable font is installed (one-line message).</exception>
public static class Charts
{
    public const int Width = 1200;
    public const int Height = 700;

    /// <summary>Metric against training time: one thin line per seed, one colour per configuration, dashed target.</summary>
    public static void SaveAccuracyCurves(AccuracyCurveChart chart, string path)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ChartCanvas.Save(AccuracyCurvesRenderer.Build(chart), path);
    }

    /// <summary>Time to target night by night: median lines over interval bands, crosses where not reached.</summary>
    public static void SaveTimeToTargetTrend(TrendChart chart, string path)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ChartCanvas.Save(TrendRenderer.Build(chart), path);
    }

    /// <summary>A general x-y chart: lines, steps and markers, log axes labelled in the data's units.</summary>
    public static void SaveXy(XyChart chart, string path)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ChartCanvas.Save(XyRenderer.Build(chart), path);
    }
}
