namespace Tuner.Core.Statistics;

/// <summary>A speed-up estimate with its bootstrap confidence interval.</summary>
public sealed record SpeedUpEstimate(double Estimate, double Low, double High, int Resamples)
{
    /// <summary>The interval lies entirely above 1: faster with the stated confidence.</summary>
    public bool IsFaster => Low > 1.0;

    /// <summary>The interval lies entirely below 1: slower with the stated confidence.</summary>
    public bool IsSlower => High < 1.0;
}

/// <summary>
/// Speed-up of a treatment over a baseline in time-to-target: median(baseline) / median(treatment), censored runs
/// (target not reached) counting as +infinity, with a percentile bootstrap interval that resamples the seeds of each
/// group independently. With few seeds (3-5) the interval is coarse and conservative: it excludes 1 only when the
/// groups barely overlap.
/// </summary>
public static class SpeedUp
{
    public static double Ratio(double baselineMedian, double treatmentMedian)
    {
        if (double.IsPositiveInfinity(treatmentMedian))
        {
            return double.IsPositiveInfinity(baselineMedian) ? double.NaN : 0.0;
        }

        return double.IsPositiveInfinity(baselineMedian) ? double.PositiveInfinity : baselineMedian / treatmentMedian;
    }

    public static SpeedUpEstimate Estimate(IReadOnlyList<double> baseline, IReadOnlyList<double> treatment, double confidence = 0.95, int resamples = 10_000, int seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(treatment);
        if (baseline.Count == 0 || treatment.Count == 0)
        {
            return new SpeedUpEstimate(double.NaN, double.NaN, double.NaN, 0);
        }

        double point = Ratio(Robust.Median(baseline), Robust.Median(treatment));
        var random = new Random(seed);
        var ratios = new List<double>(resamples);
        double[] b = new double[baseline.Count];
        double[] t = new double[treatment.Count];
        for (int i = 0; i < resamples; i++)
        {
            for (int j = 0; j < b.Length; j++)
            {
                b[j] = baseline[random.Next(baseline.Count)];
            }

            for (int j = 0; j < t.Length; j++)
            {
                t[j] = treatment[random.Next(treatment.Count)];
            }

            double ratio = Ratio(Robust.Median(b), Robust.Median(t));
            if (!double.IsNaN(ratio))
            {
                ratios.Add(ratio);
            }
        }

        double alpha = (1 - confidence) / 2;
        return new SpeedUpEstimate(point, Robust.Quantile(ratios, alpha), Robust.Quantile(ratios, 1 - alpha), ratios.Count);
    }
}
