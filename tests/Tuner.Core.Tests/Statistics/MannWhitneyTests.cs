using Tuner.Core.Statistics;

namespace Tuner.Core.Tests.Statistics;

public sealed class MannWhitneyTests
{
    [Fact]
    public void Greater_CompletelySeparatedFiveAndFive_IsOneOverTwoHundredFiftyTwo()
    {
        RankTestResult result = MannWhitney.Greater([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);

        Assert.Equal(25, result.U);
        Assert.Equal(1.0 / 252, result.PValue, 12);
        Assert.True(result.Exact);
    }

    [Fact]
    public void Less_SameSamplesOtherWay_IsOne()
    {
        RankTestResult result = MannWhitney.Less([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);

        Assert.Equal(25, result.U); // still the U of the first sample
        Assert.Equal(1.0, result.PValue, 12);
    }

    [Theory]
    [InlineData(new double[] { 3, 5, 7, 9, 11, 13 }, new double[] { 1, 2, 4, 6, 8 })]
    [InlineData(new double[] { 1, 1, 2, 2, 3 }, new double[] { 1, 2, 2, 3, 3, 3 })]
    [InlineData(new double[] { 5, double.PositiveInfinity, double.PositiveInfinity }, new double[] { 4, 5, 6, double.PositiveInfinity })]
    [InlineData(new double[] { 2, 2, 2 }, new double[] { 2, 2 })]
    public void Greater_SmallSamplesWithAndWithoutTies_EqualsBruteForcePermutationTest(double[] x, double[] y)
    {
        RankTestResult result = MannWhitney.Greater(x, y);

        Assert.Equal(BruteForceUpperTail(x, y), result.PValue, 12);
        Assert.True(result.Exact);
    }

    [Fact]
    public void Greater_CensoredTonightAgainstFiniteHistory_IsSignificant()
    {
        double inf = double.PositiveInfinity;

        RankTestResult result = MannWhitney.Greater([inf, inf, inf, inf, inf], [5.1, 5.3, 5.2, 4.9, 5.0, 5.4, 5.2, 5.0]);

        Assert.Equal(1.0 / 1287, result.PValue, 12); // C(13,5)
    }

    [Fact]
    public void Greater_LargeSamples_UsesNormalApproximationThatSeesShiftsAndNoShift()
    {
        double[] a = Enumerable.Range(0, 250).Select(i => (double)i).ToArray();
        double[] shifted = a.Select(v => v + 60).ToArray();

        RankTestResult same = MannWhitney.Greater(a, a);
        RankTestResult larger = MannWhitney.Greater(shifted, a);

        Assert.False(same.Exact);
        Assert.InRange(same.PValue, 0.45, 0.55);
        Assert.True(larger.PValue < 1e-6, $"p = {larger.PValue}");
    }

    [Fact]
    public void Greater_EmptySample_IsOne()
    {
        Assert.Equal(1.0, MannWhitney.Greater([], [1, 2]).PValue);
    }

    [Fact]
    public void Greater_NaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => MannWhitney.Greater([double.NaN], [1]));
    }

    /// <summary>Enumerates every split of the pooled values into groups of the original sizes; counts splits whose U is at least the observed one.</summary>
    private static double BruteForceUpperTail(double[] x, double[] y)
    {
        double[] pooled = [.. x, .. y];
        double observed = U(x, y);
        int n = pooled.Length;
        int m = x.Length;
        int atLeast = 0;
        int total = 0;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            if (int.PopCount(mask) != m)
            {
                continue;
            }

            double[] first = Enumerable.Range(0, n).Where(i => (mask & (1 << i)) != 0).Select(i => pooled[i]).ToArray();
            double[] second = Enumerable.Range(0, n).Where(i => (mask & (1 << i)) == 0).Select(i => pooled[i]).ToArray();
            total++;
            if (U(first, second) >= observed - 1e-9)
            {
                atLeast++;
            }
        }

        return atLeast / (double)total;
    }

    private static double U(double[] x, double[] y) =>
        x.Sum(a => y.Sum(b => a > b ? 1.0 : a.Equals(b) ? 0.5 : 0.0));
}
