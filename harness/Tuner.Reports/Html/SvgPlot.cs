using System.Globalization;
using System.Net;
using System.Text;

namespace Tuner.Reports.Html;

/// <summary>How an axis maps values: linear, or logarithmic (for times, rates and ratios spanning decades).</summary>
public enum AxisScale
{
    Linear,
    Log,
}

/// <summary>
/// A colour-blind-safe palette (Okabe and Ito, 2008): eight colours told apart under the common colour-vision
/// deficiencies; marks also differ in shape or dash where colour carries a meaning.
/// </summary>
public static class Palette
{
    private static readonly string[] Colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"];

    public const string Grey = "#999999";

    /// <summary>The <paramref name="index"/>-th colour, cycling.</summary>
    public static string Colour(int index) => Colours[((index % Colours.Length) + Colours.Length) % Colours.Length];
}

/// <summary>
/// A chart as inline SVG: axes with ticks and labels as text, marks (paths, points, bands) with a class
/// <c>mark</c> and a tooltip each, a legend, and a caption. Ranges come from the data (axes start where the data do
/// unless <see cref="IncludeZeroY"/>); non-finite values are left out (the caller says what they mean, e.g. censored).
/// Culture-invariant, deterministic output: the same data give the same bytes.
/// </summary>
public sealed class SvgPlot
{
    private const double Top = 36, Bottom = 52;

    /// <summary>The legend's column right of the data area (none without a legend).</summary>
    private const double LegendWidth = 250;
    private static readonly double[] NiceSteps = [1.0, 2.0, 5.0, 10.0];
    private readonly List<Action<StringBuilder>> _marks = [];
    private readonly List<(string Label, string Colour, string Kind)> _legend = [];
    private readonly List<double> _xs = [];
    private readonly List<double> _ys = [];

    public SvgPlot(string title, string xLabel, string yLabel, AxisScale xScale = AxisScale.Linear, AxisScale yScale = AxisScale.Linear, int width = 960, int height = 400)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
        XScale = xScale;
        YScale = yScale;
        Width = width;
        Height = height;
    }

    public string Title { get; }

    public string XLabel { get; }

    public string YLabel { get; }

    public AxisScale XScale { get; }

    public AxisScale YScale { get; }

    public int Width { get; }

    public int Height { get; }

    private double Right => _legend.Count > 0 ? LegendWidth + 16 : 24;

    /// <summary>Start the y axis at zero (when zero matters: a fraction, a count).</summary>
    public bool IncludeZeroY { get; init; }

    /// <summary>Fix the y range (e.g. 0 to 1 for an ECDF or a profile).</summary>
    public (double Min, double Max)? YRange { get; init; }

    /// <summary>A sentence under the chart saying how to read it.</summary>
    public string? Caption { get; init; }

    /// <summary>Category names for x ticks at 0, 1, 2, ... (parallel coordinates, nights).</summary>
    public IReadOnlyList<string>? XCategories { get; init; }

    /// <summary>Category names for y ticks at 0, 1, 2, ... from the bottom (bar charts).</summary>
    public IReadOnlyList<string>? YCategories { get; init; }

    /// <summary>Room left of the data area for y tick labels (wider for category names).</summary>
    private double Left => YCategories is { Count: > 0 } names ? Math.Min(260, 24 + (7 * names.Max(n => n.Length))) : 72;

    /// <summary>A polyline (or a step line, horizontal first) through the finite points.</summary>
    public void Line(string label, IEnumerable<(double X, double Y)> points, int colour, bool step = false, bool dashed = false, double width = 2, string? colourOverride = null, bool legend = true)
    {
        (double X, double Y)[] finite = [.. points.Where(p => Usable(p.X, XScale) && Usable(p.Y, YScale))];
        if (finite.Length == 0)
        {
            return;
        }

        Track(finite.Select(p => p.X), finite.Select(p => p.Y));
        string stroke = colourOverride ?? Palette.Colour(colour);
        if (legend && label.Length > 0)
        {
            _legend.Add((label, stroke, dashed ? "dash" : "line"));
        }

        _marks.Add(svg =>
        {
            var d = new StringBuilder();
            for (int i = 0; i < finite.Length; i++)
            {
                (double x, double y) = (PX(finite[i].X), PY(finite[i].Y));
                if (i == 0)
                {
                    d.Append(F($"M{x:0.#},{y:0.#}"));
                }
                else if (step)
                {
                    d.Append(F($" H{x:0.#} V{y:0.#}"));
                }
                else
                {
                    d.Append(F($" L{x:0.#},{y:0.#}"));
                }
            }

            svg.Append(F($"<path class=\"mark line\" d=\"{d}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{width:0.#}\"{(dashed ? " stroke-dasharray=\"6 4\"" : string.Empty)}><title>{E(label)}</title></path>"));
        });
    }

    /// <summary>Points with a tooltip each; hollow ones for censored or secondary observations.</summary>
    public void Points(string label, IEnumerable<(double X, double Y, string Tip)> points, int colour, bool hollow = false, double radius = 4, string? colourOverride = null)
    {
        (double X, double Y, string Tip)[] finite = [.. points.Where(p => Usable(p.X, XScale) && Usable(p.Y, YScale))];
        if (finite.Length == 0)
        {
            return;
        }

        Track(finite.Select(p => p.X), finite.Select(p => p.Y));
        string fill = colourOverride ?? Palette.Colour(colour);
        if (label.Length > 0)
        {
            _legend.Add((label, fill, hollow ? "hollow" : "point"));
        }

        _marks.Add(svg =>
        {
            foreach ((double x, double y, string tip) in finite)
            {
                svg.Append(F($"<circle class=\"mark point\" cx=\"{PX(x):0.#}\" cy=\"{PY(y):0.#}\" r=\"{radius:0.#}\" fill=\"{(hollow ? "white" : fill)}\" stroke=\"{fill}\" stroke-width=\"1.5\"><title>{E(tip)}</title></circle>"));
            }
        });
    }

    /// <summary>A translucent band between a low and a high line (an interval over nights or over x).</summary>
    public void Band(string label, IEnumerable<(double X, double Low, double High)> points, int colour)
    {
        (double X, double Low, double High)[] finite = [.. points.Where(p => Usable(p.X, XScale) && Usable(p.Low, YScale) && Usable(p.High, YScale))];
        if (finite.Length == 0)
        {
            return;
        }

        Track(finite.Select(p => p.X), finite.SelectMany(p => new[] { p.Low, p.High }));
        string fill = Palette.Colour(colour);
        _marks.Add(svg =>
        {
            var d = new StringBuilder();
            for (int i = 0; i < finite.Length; i++)
            {
                d.Append(F($"{(i == 0 ? "M" : " L")}{PX(finite[i].X):0.#},{PY(finite[i].High):0.#}"));
            }

            for (int i = finite.Length - 1; i >= 0; i--)
            {
                d.Append(F($" L{PX(finite[i].X):0.#},{PY(finite[i].Low):0.#}"));
            }

            svg.Append(F($"<path class=\"mark band\" d=\"{d} Z\" fill=\"{fill}\" fill-opacity=\"0.18\" stroke=\"none\"><title>{E(label)}</title></path>"));
        });
    }

    /// <summary>A horizontal bar from <paramref name="from"/> to <paramref name="to"/> at category row <paramref name="y"/> (importance ratios).</summary>
    public void Bar(string tip, double y, double from, double to, int colour)
    {
        if (!Usable(from, XScale) || !Usable(to, XScale))
        {
            return;
        }

        Track([from, to], [y - 0.4, y + 0.4]);
        string fill = Palette.Colour(colour);
        _marks.Add(svg =>
        {
            double x0 = Math.Min(PX(from), PX(to)), x1 = Math.Max(PX(from), PX(to));
            svg.Append(F($"<rect class=\"mark bar\" x=\"{x0:0.#}\" y=\"{PY(y + 0.35):0.#}\" width=\"{Math.Max(1, x1 - x0):0.#}\" height=\"{Math.Abs(PY(y - 0.35) - PY(y + 0.35)):0.#}\" fill=\"{fill}\"><title>{E(tip)}</title></rect>"));
        });
    }

    /// <summary>A dashed horizontal reference line across the chart (a target), labelled at its right end.</summary>
    public void HorizontalRule(double y, string label)
    {
        if (!Usable(y, YScale))
        {
            return;
        }

        _ys.Add(y);
        _marks.Add(svg => svg.Append(F($"<line class=\"rule\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{PY(y):0.#}\" y2=\"{PY(y):0.#}\" stroke=\"#555\" stroke-dasharray=\"4 4\"/><text class=\"rule-label\" x=\"{Width - Right - 4}\" y=\"{PY(y) - 4:0.#}\" text-anchor=\"end\">{E(label)}</text>")));
    }

    /// <summary>A dashed vertical reference line (e.g. ratio 1 of a bar chart).</summary>
    public void VerticalRule(double x, string label)
    {
        if (!Usable(x, XScale))
        {
            return;
        }

        _xs.Add(x);
        _marks.Add(svg => svg.Append(F($"<line class=\"rule\" x1=\"{PX(x):0.#}\" x2=\"{PX(x):0.#}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#555\" stroke-dasharray=\"4 4\"/><text class=\"rule-label\" x=\"{PX(x) + 4:0.#}\" y=\"{Top + 12}\">{E(label)}</text>")));
    }

    /// <summary>Text at a data position (a category's name on a bar chart, an axis name on parallel coordinates).</summary>
    public void Label(double x, double y, string text, string anchor = "start")
    {
        _marks.Add(svg => svg.Append(F($"<text class=\"data-label\" x=\"{PX(x):0.#}\" y=\"{PY(y) + 4:0.#}\" text-anchor=\"{anchor}\">{E(text)}</text>")));
    }

    /// <summary>The figure: an <c>svg</c> with role img and a title, followed by its caption.</summary>
    public string Render()
    {
        var svg = new StringBuilder();
        svg.Append(F($"<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" aria-label=\"{E(Title)}\"><title>{E(Title)}</title>"));
        svg.Append(F($"<text class=\"chart-title\" x=\"{Left}\" y=\"20\">{E(Title)}</text>"));
        if (_xs.Count == 0 || _ys.Count == 0)
        {
            svg.Append(F($"<text class=\"no-data\" x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">no data to show</text></svg>"));
            svg.Append(Caption is null ? string.Empty : $"<figcaption>{E(Caption)}</figcaption>").Append("</figure>");
            return svg.ToString();
        }

        Ranges();
        svg.Append(F($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#bbb\"/>"));
        Axes(svg);
        foreach (Action<StringBuilder> mark in _marks)
        {
            mark(svg);
        }

        Legend(svg);
        svg.Append("</svg>");
        if (Caption is not null)
        {
            svg.Append("<figcaption>").Append(E(Caption)).Append("</figcaption>");
        }

        return svg.Append("</figure>").ToString();
    }

    private double _x0, _x1, _y0, _y1;

    private void Ranges()
    {
        (_x0, _x1) = Pad(_xs.Min(), _xs.Max(), XScale);
        (double ylo, double yhi) = (IncludeZeroY ? Math.Min(0, _ys.Min()) : _ys.Min(), _ys.Max());
        (_y0, _y1) = YRange ?? Pad(ylo, yhi, YScale);
        if (XCategories is { Count: > 0 } categories)
        {
            (_x0, _x1) = (-0.5, categories.Count - 0.5);
        }

        if (YCategories is { Count: > 0 } rows)
        {
            (_y0, _y1) = (-0.5, rows.Count - 0.5);
        }
    }

    private static (double, double) Pad(double lo, double hi, AxisScale scale)
    {
        if (scale == AxisScale.Log)
        {
            double a = Math.Log10(lo), b = Math.Log10(hi);
            double span = Math.Max(b - a, 0.2);
            return (Math.Pow(10, a - (span * 0.05)), Math.Pow(10, b + (span * 0.05)));
        }

        double width = hi - lo;
        double pad = width > 0 ? width * 0.05 : Math.Max(Math.Abs(hi) * 0.1, 1e-9);
        return (lo - pad, hi + pad);
    }

    private double PX(double x) => Left + ((Width - Left - Right) * Fraction(x, _x0, _x1, XScale));

    private double PY(double y) => Height - Bottom - ((Height - Top - Bottom) * Fraction(y, _y0, _y1, YScale));

    private static double Fraction(double v, double lo, double hi, AxisScale scale) => scale == AxisScale.Log
        ? (Math.Log10(v) - Math.Log10(lo)) / (Math.Log10(hi) - Math.Log10(lo))
        : (v - lo) / (hi - lo);

    private void Axes(StringBuilder svg)
    {
        if (XCategories is { Count: > 0 } categories)
        {
            for (int i = 0; i < categories.Count; i++)
            {
                svg.Append(F($"<text class=\"tick\" x=\"{PX(i):0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{E(categories[i])}</text>"));
            }
        }
        else
        {
            IReadOnlyList<double> xTicks = Ticks(_x0, _x1, XScale);
            foreach (double t in xTicks)
            {
                svg.Append(F($"<line x1=\"{PX(t):0.#}\" x2=\"{PX(t):0.#}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom + 5}\" stroke=\"#333\"/><text class=\"tick\" x=\"{PX(t):0.#}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{Number(t, xTicks)}</text>"));
            }
        }

        if (YCategories is { Count: > 0 } names)
        {
            for (int i = 0; i < names.Count; i++)
            {
                svg.Append(F($"<text class=\"tick\" x=\"{Left - 8}\" y=\"{PY(i) + 4:0.#}\" text-anchor=\"end\">{E(names[i])}</text>"));
            }
        }

        IReadOnlyList<double> yTicks = YCategories is { Count: > 0 } ? [] : Ticks(_y0, _y1, YScale);
        foreach (double t in yTicks)
        {
            svg.Append(F($"<line x1=\"{Left - 5}\" x2=\"{Left}\" y1=\"{PY(t):0.#}\" y2=\"{PY(t):0.#}\" stroke=\"#333\"/><line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{PY(t):0.#}\" y2=\"{PY(t):0.#}\" stroke=\"#eee\"/><text class=\"tick\" x=\"{Left - 8}\" y=\"{PY(t) + 4:0.#}\" text-anchor=\"end\">{Number(t, yTicks)}</text>"));
        }

        svg.Append(F($"<text class=\"axis-label\" x=\"{(Left + Width - Right) / 2:0.#}\" y=\"{Height - 12}\" text-anchor=\"middle\">{E(XLabel)}{(XScale == AxisScale.Log ? " (log scale)" : string.Empty)}</text>"));
        svg.Append(F($"<text class=\"axis-label\" transform=\"translate(16,{(Top + Height - Bottom) / 2:0.#}) rotate(-90)\" text-anchor=\"middle\">{E(YLabel)}{(YScale == AxisScale.Log ? " (log scale)" : string.Empty)}</text>"));
    }

    private void Legend(StringBuilder svg)
    {
        if (_legend.Count == 0)
        {
            return;
        }

        double y = Top + 14;
        double x = Width - LegendWidth;
        svg.Append(F($"<g class=\"legend\"><rect x=\"{x - 8}\" y=\"{Top + 2}\" width=\"{LegendWidth}\" height=\"{(_legend.Count * 18) + 8}\" fill=\"white\" stroke=\"#ddd\"/>"));
        foreach ((string label, string colour, string kind) in _legend)
        {
            string swatch = kind switch
            {
                "point" => F($"<circle cx=\"{x + 8}\" cy=\"{y - 4}\" r=\"4\" fill=\"{colour}\"/>"),
                "hollow" => F($"<circle cx=\"{x + 8}\" cy=\"{y - 4}\" r=\"4\" fill=\"white\" stroke=\"{colour}\" stroke-width=\"1.5\"/>"),
                "dash" => F($"<line x1=\"{x}\" x2=\"{x + 16}\" y1=\"{y - 4}\" y2=\"{y - 4}\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"),
                _ => F($"<line x1=\"{x}\" x2=\"{x + 16}\" y1=\"{y - 4}\" y2=\"{y - 4}\" stroke=\"{colour}\" stroke-width=\"2\"/>"),
            };
            string text = label.Length > 34 ? label[..33] + "…" : label;
            svg.Append("<g>").Append(swatch).Append(F($"<title>{E(label)}</title><text class=\"legend-label\" x=\"{x + 22}\" y=\"{y}\">{E(text)}</text></g>"));
            y += 18;
        }

        svg.Append("</g>");
    }

    /// <summary>About five round ticks: 1, 2 or 5 times a power of ten apart; on a log axis each decade (and 2, 5 when few).</summary>
    internal static IReadOnlyList<double> Ticks(double lo, double hi, AxisScale scale)
    {
        var ticks = new List<double>();
        if (scale == AxisScale.Log)
        {
            int first = (int)Math.Floor(Math.Log10(lo)), last = (int)Math.Ceiling(Math.Log10(hi));
            double[] steps = last - first <= 2 ? [1, 2, 5] : [1];
            for (int e = first; e <= last; e++)
            {
                foreach (double m in steps)
                {
                    double v = m * Math.Pow(10, e);
                    if (v >= lo && v <= hi)
                    {
                        ticks.Add(v);
                    }
                }
            }

            return ticks;
        }

        double raw = (hi - lo) / 5;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = NiceSteps.Select(m => m * power).First(s => s >= raw);
        for (double v = Math.Ceiling(lo / step) * step; v <= hi + (step * 1e-9); v += step)
        {
            ticks.Add(Math.Abs(v) < step * 1e-9 ? 0 : v);
        }

        return ticks;
    }

    /// <summary>A tick label with as many decimals as the ticks need to differ (at most 8), or in exponent form for very large or small values.</summary>
    private static string Number(double v, IReadOnlyList<double> ticks)
    {
        if (Math.Abs(v) >= 1e6 || (Math.Abs(v) < 1e-4 && v != 0))
        {
            return v.ToString("0.##e0", CultureInfo.InvariantCulture);
        }

        double gap = ticks.Zip(ticks.Skip(1), (a, b) => Math.Abs(b - a)).Where(g => g > 0).DefaultIfEmpty(Math.Abs(v)).Min();
        int decimals = gap > 0 ? Math.Clamp((int)Math.Ceiling(-Math.Log10(gap) + 1e-9), 0, 8) : 0;
        return v.ToString("0." + new string('#', Math.Max(decimals, Math.Abs(v) < 1 ? 1 : 0)), CultureInfo.InvariantCulture);
    }

    private void Track(IEnumerable<double> xs, IEnumerable<double> ys)
    {
        _xs.AddRange(xs);
        _ys.AddRange(ys);
    }

    private static bool Usable(double v, AxisScale scale) => double.IsFinite(v) && (scale == AxisScale.Linear || v > 0);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal static string E(string text) => WebUtility.HtmlEncode(text);
}
