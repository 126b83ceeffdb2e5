namespace Tuner.Core.Statistics;

/// <summary>Spread of a sample relative to its size.</summary>
public static class Variation
{
    /// <summary>
    /// Coefficient of variation, sample standard deviation / mean, of the finite values; NaN when fewer than two are
    /// finite or the mean is 0. (Censored +infinity values are not noise and are left out; the reach test covers them.)
    /// </summary>
    public static double Coefficient(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length < 2)
        {
            return double.NaN;
        }

        double mean = finite.Average();
        if (mean == 0)
        {
            return double.NaN;
        }

        double variance = finite.Sum(v => (v - mean) * (v - mean)) / (finite.Length - 1);
        return Math.Sqrt(variance) / Math.Abs(mean);
    }
}
