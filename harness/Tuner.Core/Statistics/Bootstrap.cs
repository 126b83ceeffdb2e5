namespace Tuner.Core.Statistics;

/// <summary>A point estimate with its percentile bootstrap interval.</summary>
public sealed record Interval(double Estimate, double Low, double High)
{
    /// <summary>Half the interval's width relative to the estimate (+infinity when either end is not finite).</summary>
    public double RelativeHalfWidth => double.IsFinite(Low) && double.IsFinite(High) && Estimate > 0 ? (High - Low) / 2 / Estimate : double.PositiveInfinity;
}

/// <summary>Percentile bootstrap intervals for medians of censored samples (+infinity: the target was never reached).</summary>
public static class Bootstrap
{
    public static Interval MedianInterval(IReadOnlyList<double> values, double confidence = 0.95, int resamples = 10_000, int seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return new Interval(double.NaN, double.NaN, double.NaN);
        }

        var random = new Random(seed);
        double[] sample = new double[values.Count];
        double[] medians = new double[resamples];
        for (int i = 0; i < resamples; i++)
        {
            for (int j = 0; j < sample.Length; j++)
            {
                sample[j] = values[random.Next(values.Count)];
            }

            medians[i] = Robust.Median(sample);
        }

        double alpha = (1 - confidence) / 2;
        return new Interval(Robust.Median(values), Robust.Quantile(medians, alpha), Robust.Quantile(medians, 1 - alpha));
    }
}
