namespace Tuner.Core.Statistics;

/// <summary>
/// Fisher's exact test on a 2x2 table, one-sided: is the success share of the first group lower than the second's?
/// Used for reach probability (seeds that reached the target out of seeds run).
/// </summary>
public static class FisherExact
{
    /// <summary>P(first group has at most <paramref name="successesA"/> successes | margins), the hypergeometric lower tail.</summary>
    public static double Lower(int successesA, int totalA, int successesB, int totalB)
    {
        Check(successesA, totalA, nameof(successesA));
        Check(successesB, totalB, nameof(successesB));
        int successes = successesA + successesB;
        int total = totalA + totalB;
        if (totalA == 0 || totalB == 0)
        {
            return 1.0;
        }

        int low = Math.Max(0, successes - totalB);
        double tail = 0;
        for (int k = low; k <= successesA; k++)
        {
            tail += Math.Exp(LogChoose(totalA, k) + LogChoose(totalB, successes - k) - LogChoose(total, successes));
        }

        return Math.Clamp(tail, 0.0, 1.0);
    }

    private static void Check(int successes, int total, string name)
    {
        if (total < 0 || successes < 0 || successes > total)
        {
            throw new ArgumentOutOfRangeException(name, $"need 0 <= successes <= total, got {successes} of {total}");
        }
    }

    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        double sum = 0;
        for (int i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }
}
