namespace Tuner.Techniques.Data.SelectiveBackprop;

/// <summary>
/// Pure functions of Selective Backprop (Jiang et al., "Accelerating Deep Learning by Focusing on the Biggest Losers",
/// arXiv 1910.00762, 2019): a sample is back-propagated with probability P(loss) = CDF(loss)^beta, the CDF taken over the
/// losses of the most recent samples.
/// </summary>
public static class SelectiveBackpropMath
{
    /// <summary>The fraction of <paramref name="sortedHistory"/> (ascending) at or below <paramref name="loss"/>: the loss's percentile in [0, 1].</summary>
    public static double Percentile(IReadOnlyList<float> sortedHistory, float loss)
    {
        ArgumentNullException.ThrowIfNull(sortedHistory);
        if (sortedHistory.Count == 0)
        {
            return 1.0;
        }

        int low = 0, high = sortedHistory.Count; // first index whose value is above loss
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (sortedHistory[middle] <= loss)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low / (double)sortedHistory.Count;
    }

    /// <summary>The probability of back-propagating a sample at <paramref name="percentile"/>: percentile^beta (beta 0: always).</summary>
    public static double SelectionProbability(double percentile, double beta) => Math.Pow(Math.Clamp(percentile, 0, 1), beta);

    /// <summary>The expected fraction selected when percentiles are uniform: 1 / (beta + 1) (beta 1: a half, 2: a third, 3: a quarter).</summary>
    public static double ExpectedFraction(double beta) => 1 / (beta + 1);

    /// <summary>
    /// Which samples to back-propagate: sample i when <paramref name="draws"/>[i] &lt; P(losses[i]); at least one (the
    /// highest loss) so every batch still steps.
    /// </summary>
    public static int[] Select(IReadOnlyList<float> losses, IReadOnlyList<float> sortedHistory, double beta, IReadOnlyList<double> draws)
    {
        ArgumentNullException.ThrowIfNull(losses);
        ArgumentNullException.ThrowIfNull(draws);
        var selected = new List<int>(losses.Count);
        for (int i = 0; i < losses.Count; i++)
        {
            if (draws[i] < SelectionProbability(Percentile(sortedHistory, losses[i]), beta))
            {
                selected.Add(i);
            }
        }

        if (selected.Count == 0 && losses.Count > 0)
        {
            int highest = 0;
            for (int i = 1; i < losses.Count; i++)
            {
                highest = losses[i] > losses[highest] ? i : highest;
            }

            selected.Add(highest);
        }

        return [.. selected];
    }
}
