namespace Tuner.Core.Statistics;

/// <summary>
/// Steady-state training throughput from many short timing windows, as BenchmarkDotNet summarises iterations: the
/// windows slowed by something outside the run (another process on the core, a page fault, a GC) are outliers below
/// Tukey's lower fence (Q1 - 1.5 IQR) and are dropped; the median of the rest is the throughput. Time-to-target then
/// decomposes into samples-to-target (exact for a seed on one thread) / throughput (a tight distribution of its own).
/// </summary>
public static class Throughput
{
    /// <summary>Fewer windows than this give no steady-state estimate (null): the run was too short.</summary>
    public const int MinimumWindows = 3;

    /// <summary>
    /// The median of <paramref name="rates"/> (one per window) without low outliers, and also without high ones when
    /// <paramref name="bothSides"/> (paired rates, where a burst that slowed the reference measurement makes a window
    /// look fast); null with fewer than <see cref="MinimumWindows"/>.
    /// </summary>
    public static double? Steady(IReadOnlyList<double> rates, bool bothSides = false)
    {
        ArgumentNullException.ThrowIfNull(rates);
        double[] finite = [.. rates.Where(double.IsFinite)];
        if (finite.Length < MinimumWindows)
        {
            return null;
        }

        double q1 = Robust.Quantile(finite, 0.25);
        double q3 = Robust.Quantile(finite, 0.75);
        double low = q1 - (1.5 * (q3 - q1));
        double high = bothSides ? q3 + (1.5 * (q3 - q1)) : double.PositiveInfinity;
        return Robust.Median([.. finite.Where(r => r >= low && r <= high)]);
    }
}
