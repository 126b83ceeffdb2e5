namespace Tuner.Core.Statistics;

/// <summary>Order statistics that accept +infinity (a censored time-to-target: the target was never reached).</summary>
public static class Robust
{
    /// <summary>The median; +infinity when more than half the values are +infinity. NaN for no values.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. values.Order()];
        int n = sorted.Length;
        if (n % 2 == 1)
        {
            return sorted[n / 2];
        }

        double a = sorted[(n / 2) - 1], b = sorted[n / 2];
        return double.IsPositiveInfinity(b) ? (double.IsPositiveInfinity(a) ? a : b) : (a + b) / 2;
    }

    /// <summary>Quantile by linear interpolation between order statistics (type 7), q in [0, 1].</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] sorted = [.. values.Where(v => !double.IsNaN(v)).Order()];
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = (int)Math.Ceiling(position);
        if (lower == upper || double.IsInfinity(sorted[lower]) || double.IsInfinity(sorted[upper]))
        {
            return sorted[position - lower < 0.5 ? lower : upper];
        }

        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
