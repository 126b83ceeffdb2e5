namespace Tuner.Plots;

/// <summary>How a series is drawn.</summary>
public enum XyStyle
{
    /// <summary>A line through the points in order.</summary>
    Line,

    /// <summary>A step line (horizontal, then vertical), as an ECDF or a performance profile.</summary>
    Step,

    /// <summary>Filled markers.</summary>
    Points,

    /// <summary>Hollow markers (censored or secondary observations).</summary>
    HollowPoints,

    /// <summary>A thin dashed reference line.</summary>
    Dashed,
}

/// <summary>One series: legend text (empty: not in the legend), points, style, and its colour index (-1: grey).</summary>
public sealed record XySeries(string Label, IReadOnlyList<(double X, double Y)> Points, XyStyle Style, int Colour);

/// <summary>
/// A general x-y chart (time-to-target ECDFs, samples to target against throughput, performance profiles): series
/// drawn as lines, steps or markers; an axis on a log scale is drawn in log2 (<see cref="XLog2"/>) or log10 with the
/// tick labels in the data's units; axes start where the data do unless a range is given. Rendered by
/// <see cref="Charts.SaveXy"/>.
/// </summary>
public sealed record XyChart(string Title, string XLabel, string YLabel, IReadOnlyList<XySeries> Series)
{
    public bool XLog10 { get; init; }

    /// <summary>x on a log2 scale (performance profiles: tau = 1, 2, 4, ...).</summary>
    public bool XLog2 { get; init; }

    public bool YLog10 { get; init; }

    /// <summary>Fixed y limits (e.g. 0 to 1 for shares); null: from the data.</summary>
    public (double Min, double Max)? YRange { get; init; }
}
