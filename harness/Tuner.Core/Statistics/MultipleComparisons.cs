namespace Tuner.Core.Statistics;

/// <summary>
/// Adjusting p-values for the number of comparisons made at once (the effects table compares ~38 techniques with one
/// baseline). <see cref="BenjaminiHochberg"/> controls the false discovery rate: of the comparisons called significant
/// at adjusted p &lt; q, at most a share q is expected to be false. (Holm's family-wise correction, the chance of even
/// one false call, was not chosen: with 38 comparisons it needs a raw p below 0.05/38 = 0.0013 for any call, which a
/// rank test reaches only from 7 seeds per arm.)
/// </summary>
public static class MultipleComparisons
{
    /// <summary>Benjamini-Hochberg adjusted p-values (step-up; monotone; at most 1), in the order given. NaN stays NaN and is not counted.</summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        int[] order = [.. Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i])];
        double[] adjusted = [.. pValues.Select(_ => double.NaN)];
        int m = order.Length;
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--)
        {
            int i = order[rank - 1];
            running = Math.Min(running, pValues[i] * m / rank);
            adjusted[i] = Math.Min(1.0, running);
        }

        return adjusted;
    }

    /// <summary>Two-sided exact Mann-Whitney p-value of "the two samples differ" (twice the smaller one-sided p, at most 1).</summary>
    public static double TwoSidedRankTest(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double greater = MannWhitney.Greater(x, y).PValue;
        double less = MannWhitney.Less(x, y).PValue;
        return Math.Min(1.0, 2 * Math.Min(greater, less));
    }
}
