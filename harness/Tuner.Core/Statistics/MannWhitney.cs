namespace Tuner.Core.Statistics;

/// <summary>The result of a one-sided two-sample rank test.</summary>
/// <param name="U">Mann-Whitney U of the first sample (pairs where it is larger, ties counting one half).</param>
/// <param name="PValue">Probability, under "both samples come from one distribution", of a U at least this large.</param>
/// <param name="Exact">True when <see cref="PValue"/> comes from the exact permutation distribution (ties included).</param>
public sealed record RankTestResult(double U, double PValue, bool Exact);

/// <summary>
/// Mann-Whitney U test (Wilcoxon rank-sum), one-sided: is the first sample stochastically larger than the second?
/// Values may be +infinity (a censored time-to-target: the target was never reached); they rank above every finite
/// value and tie with each other. The p-value is exact (the permutation distribution of the rank sum, computed with
/// mid-ranks, so ties are handled exactly) up to 400 values in all, and from the normal approximation with tie and
/// continuity corrections beyond.
/// </summary>
public static class MannWhitney
{
    private const int ExactLimit = 400;

    /// <summary>One-sided test of "<paramref name="x"/> tends to be larger than <paramref name="y"/>".</summary>
    public static RankTestResult Greater(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0 || y.Count == 0)
        {
            return new RankTestResult(double.NaN, 1.0, Exact: true);
        }

        if (x.Concat(y).Any(double.IsNaN))
        {
            throw new ArgumentException("samples must not contain NaN", nameof(x));
        }

        int n = x.Count + y.Count;
        int[] doubledRanks = DoubledMidRanks(x, y);
        long observed = 0;
        for (int i = 0; i < x.Count; i++)
        {
            observed += doubledRanks[i];
        }

        double u = (observed / 2.0) - (x.Count * (x.Count + 1) / 2.0);
        double p = n <= ExactLimit ? ExactUpperTail(doubledRanks, x.Count, observed) : NormalUpperTail(doubledRanks, x.Count, y.Count, observed);
        return new RankTestResult(u, Math.Clamp(p, 0.0, 1.0), n <= ExactLimit);
    }

    /// <summary>One-sided test of "<paramref name="x"/> tends to be smaller than <paramref name="y"/>".</summary>
    public static RankTestResult Less(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        RankTestResult swapped = Greater(y, x);
        double u = double.IsNaN(swapped.U) ? double.NaN : ((double)x.Count * y.Count) - swapped.U;
        return swapped with { U = u };
    }

    /// <summary>Twice the mid-rank of every value (x first, then y), so ranks stay integers.</summary>
    private static int[] DoubledMidRanks(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n = x.Count + y.Count;
        var order = new int[n];
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            values[i] = i < x.Count ? x[i] : y[i - x.Count];
        }

        Array.Sort(order, (a, b) => values[a].CompareTo(values[b]));
        var ranks = new int[n];
        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end + 1 < n && values[order[end + 1]].Equals(values[order[start]]))
            {
                end++;
            }

            // Positions start..end (0-based) share the mid-rank ((start+1)+(end+1))/2; doubled: start+end+2.
            for (int k = start; k <= end; k++)
            {
                ranks[order[k]] = start + end + 2;
            }

            start = end + 1;
        }

        return ranks;
    }

    /// <summary>P(sum of m doubled ranks drawn without replacement >= observed), by dynamic programming over subsets.</summary>
    private static double ExactUpperTail(int[] doubledRanks, int m, long observed)
    {
        int maxSum = doubledRanks.Sum();
        // counts[k][s]: number of k-subsets of the values seen so far whose doubled ranks sum to s (as doubles: C(400,200) overflows long).
        var counts = new double[m + 1][];
        for (int k = 0; k <= m; k++)
        {
            counts[k] = new double[maxSum + 1];
        }

        counts[0][0] = 1;
        int seen = 0;
        foreach (int rank in doubledRanks)
        {
            seen++;
            for (int k = Math.Min(m, seen); k >= 1; k--)
            {
                double[] into = counts[k];
                double[] from = counts[k - 1];
                for (int s = maxSum; s >= rank; s--)
                {
                    if (from[s - rank] != 0)
                    {
                        into[s] += from[s - rank];
                    }
                }
            }
        }

        double total = 0;
        double tail = 0;
        for (int s = 0; s <= maxSum; s++)
        {
            total += counts[m][s];
            if (s >= observed)
            {
                tail += counts[m][s];
            }
        }

        return tail / total;
    }

    private static double NormalUpperTail(int[] doubledRanks, int m, int n, long observed)
    {
        int total = m + n;
        double mean = m * (total + 1) / 2.0;
        double tieTerm = doubledRanks.GroupBy(r => r).Sum(g => Math.Pow(g.Count(), 3) - g.Count());
        double variance = m * (double)n / 12.0 * ((total + 1) - (tieTerm / (total * (double)(total - 1))));
        if (variance <= 0)
        {
            return observed / 2.0 >= mean ? 1.0 : 0.0;
        }

        double z = ((observed / 2.0) - mean - 0.5) / Math.Sqrt(variance);
        return NormalDistribution.UpperTail(z);
    }
}

/// <summary>The standard normal distribution's upper tail, P(Z >= z) (erfc, Numerical Recipes' Chebyshev fit, |error| &lt; 1.2e-7).</summary>
public static class NormalDistribution
{
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + (0.5 * z));
        double[] c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        double poly = 0;
        for (int i = c.Length - 1; i >= 1; i--)
        {
            poly = (poly + c[i]) * t;
        }

        double r = t * Math.Exp(-(z * z) + c[0] + poly);
        return x >= 0 ? r : 2 - r;
    }
}
