using System.Globalization;
using Tuner.Core.Regression;

namespace Tuner.Reports.Nightly;

/// <summary>Culture-invariant number formats shared by the nightly CSVs and the Markdown summary.</summary>
public static class NightlyFormat
{
    /// <summary>A number for a CSV cell: up to 4 decimals; <c>inf</c> for +infinity (never reached); empty for NaN (no data).</summary>
    public static string Number(double? value) => value switch
    {
        null => string.Empty,
        double d when double.IsPositiveInfinity(d) => "inf",
        double d when double.IsNegativeInfinity(d) => "-inf",
        double d when double.IsNaN(d) => string.Empty,
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
    };

    /// <summary>A p-value for a CSV cell: 4 significant digits (e.g. 0.003968, 7.77E-05), empty when not computed.</summary>
    public static string P(double value) => double.IsNaN(value) ? string.Empty : value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A p-value for people: 0.0397, 0.004, 7.8e-5; "n/a" when not computed.</summary>
    public static string PText(double value) =>
        double.IsNaN(value) ? "n/a" :
        value >= 0.001 ? value.ToString("0.###", CultureInfo.InvariantCulture) :
        value.ToString("0.0e+0", CultureInfo.InvariantCulture);

    /// <summary>A relative change as a signed percentage (+12.3%), "+inf" when unbounded, "n/a" without data.</summary>
    public static string Percent(double change) =>
        double.IsNaN(change) ? "n/a" :
        double.IsPositiveInfinity(change) ? "+inf" :
        double.IsNegativeInfinity(change) ? "-inf" :
        (change * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>An absolute change of a share, in percentage points (-20 pp).</summary>
    public static string Points(double change) =>
        double.IsNaN(change) ? "n/a" : (change * 100).ToString("+0;-0;0", CultureInfo.InvariantCulture) + " pp";

    public static string Seconds(double value) =>
        double.IsNaN(value) ? "n/a" : double.IsPositiveInfinity(value) ? "not reached" : value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Ratio(double value) =>
        double.IsNaN(value) ? "n/a" : double.IsPositiveInfinity(value) ? "inf" : value.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    public static string Word(Verdict verdict) => verdict switch
    {
        Verdict.Regression => "regression",
        Verdict.Improvement => "improvement",
        Verdict.Noisy => "noisy",
        Verdict.NoHistory => "no history",
        _ => "unchanged",
    };

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
