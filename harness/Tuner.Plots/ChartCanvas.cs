using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Tuner.Plots;

/// <summary>
/// What every chart shares: size, fonts and their sizes, culture-invariant tick labels, the legend beside the data
/// area, the "no data" placeholder and the atomic PNG write.
/// </summary>
internal static class ChartCanvas
{
    public const float TitleSize = 22;
    public const float AxisLabelSize = 17;
    public const float TickLabelSize = 14;
    public const float LegendSize = 14;
    public const float AnnotationSize = 13;

    /// <summary>
    /// The colour-blind-safe palette of Okabe and Ito (2008), the same as the HTML reports', reused in order for more
    /// series (where colour carries a meaning, marks also differ in shape or dash).
    /// </summary>
    private static readonly Color[] Palette =
    [
        Color.FromHex("#0072B2"), Color.FromHex("#E69F00"), Color.FromHex("#009E73"), Color.FromHex("#CC79A7"),
        Color.FromHex("#56B4E9"), Color.FromHex("#D55E00"), Color.FromHex("#000000"), Color.FromHex("#F0E442"),
    ];

    public static Color SeriesColor(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length];

    /// <summary>
    /// The title is centred over the data area, which the legend panel narrows to about 800 px; a long title is set
    /// smaller (down to 14 px) so it stays inside the image. (0.62 em: the mean advance of DejaVu Sans Bold.)
    /// </summary>
    public static float TitleFontSize(string title)
    {
        const float available = Charts.Width - 420;
        float fitting = available / (0.62f * Math.Max(1, title.Length));
        return Math.Clamp(fitting, 14, TitleSize);
    }

    public static Plot Create(string title, string xLabel, string yLabel)
    {
        PlotFonts.Ensure();
        var plot = new Plot();
        plot.Title(title ?? string.Empty, TitleFontSize(title ?? string.Empty));
        plot.XLabel(xLabel, AxisLabelSize);
        plot.YLabel(yLabel, AxisLabelSize);
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = Tick };
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = Tick };
        UseFont(plot.Axes.Title.Label, bold: true);
        foreach (IAxis axis in plot.Axes.GetAxes())
        {
            UseFont(axis.Label);
            UseFont(axis.TickLabelStyle);
            axis.TickLabelStyle.FontSize = TickLabelSize;
        }

        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.09);
        plot.Legend.FontName = PlotFonts.Family;
        plot.Legend.FontSize = LegendSize;
        plot.Legend.SymbolWidth = 36;
        plot.Legend.DisplayPlottableLegendItems = false;
        plot.Legend.ShadowColor = Colors.Transparent;
        plot.Legend.OutlineColor = Colors.Black.WithOpacity(0.25);
        return plot;
    }

    /// <summary>
    /// Draws <paramref name="label"/> with the located font: by name through the registered resolver, never a typeface
    /// cached on the label (ScottPlot's font styler caches one and then ignores <see cref="LabelStyle.Bold"/>).
    /// </summary>
    public static void UseFont(LabelStyle label, bool bold = false)
    {
        label.FontName = PlotFonts.Family;
        label.Font = null;
        label.Bold = bold;
    }

    /// <summary>Longest legend text; longer labels are shortened with an ellipsis so the legend panel cannot squeeze the data area (or push the title off the image).</summary>
    public const int MaxLegendText = 36;

    /// <summary>Shows the legend items in a panel right of the data area, where it cannot cover data.</summary>
    public static void ShowLegend(Plot plot, IEnumerable<LegendItem> items)
    {
        foreach (LegendItem item in items)
        {
            if (item.LabelText is { Length: > MaxLegendText } text)
            {
                item.LabelText = text[..(MaxLegendText - 1)] + "\u2026";
            }

            UseFont(item.LabelStyle);
            plot.Legend.ManualItems.Add(item);
        }

        plot.ShowLegend(Edge.Right);
    }

    public static LegendItem LineItem(string text, Color color, float width, LinePattern pattern) => new()
    {
        LabelText = text,
        LineStyle = new LineStyle { Width = width, Color = color, Pattern = pattern },
        MarkerStyle = MarkerStyle.None,
    };

    public static LegendItem MarkerItem(string text, MarkerShape shape, Color color, float size, LineStyle? line = null) => new()
    {
        LabelText = text,
        LineStyle = line ?? LineStyle.None,
        MarkerStyle = new MarkerStyle(shape, size, color) { LineWidth = 1.5f },
    };

    /// <summary>Replaces the data area with a large "no data" note; title and axis labels stay.</summary>
    public static void NoData(Plot plot)
    {
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Axes.Bottom.TickGenerator = new NumericManual();
        plot.Axes.Left.TickGenerator = new NumericManual();
        var text = plot.Add.Text("no data", 0.5, 0.5);
        UseFont(text.LabelStyle);
        text.LabelFontSize = 32;
        text.LabelFontColor = Colors.Gray;
        text.LabelAlignment = Alignment.MiddleCenter;
        plot.HideLegend();
    }

    /// <summary>Renders <paramref name="plot"/> and moves the PNG into place (the folder is created if missing).</summary>
    public static void Save(Plot plot, string path)
    {
        byte[] png = plot.GetImageBytes(Charts.Width, Charts.Height, ImageFormat.Png);
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        string temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temp, png);
            File.Move(temp, full, true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Axis tick text, the same under every culture: whole numbers without separators, others to 10 places.</summary>
    public static string Tick(double value)
    {
        if (value == Math.Floor(value) || Math.Abs(value) >= 1000)
        {
            string whole = Math.Round(value).ToString("0", CultureInfo.InvariantCulture);
            return whole == "-0" ? "0" : whole;
        }

        string text = Math.Round(value, 10).ToString("G", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    /// <summary>A value in legend text: up to 4 decimals, invariant culture.</summary>
    public static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
