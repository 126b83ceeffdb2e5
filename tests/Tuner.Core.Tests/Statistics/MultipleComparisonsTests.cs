using Tuner.Core.Statistics;

namespace Tuner.Core.Tests.Statistics;

public sealed class MultipleComparisonsTests
{
    [Fact]
    public void BenjaminiHochberg_MatchesTheStepUpFormula()
    {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.02, 0.05), "BH") = 0.05 each.
        double[] adjusted = MultipleComparisons.BenjaminiHochberg([0.01, 0.04, 0.03, 0.02, 0.05]);

        Assert.All(adjusted, q => Assert.Equal(0.05, q, 12));
    }

    [Fact]
    public void BenjaminiHochberg_IsMonotoneInThePValuesAndAtMostOne()
    {
        // R: p.adjust(c(0.001, 0.008, 0.039, 0.041, 0.6), "BH") = 0.005 0.020 0.05125 0.05125 0.6.
        double[] adjusted = MultipleComparisons.BenjaminiHochberg([0.6, 0.039, 0.001, 0.041, 0.008]);

        Assert.Equal([0.6, 0.05125, 0.005, 0.05125, 0.02], adjusted.Select(q => Math.Round(q, 6)));
    }

    [Fact]
    public void BenjaminiHochberg_LeavesNaNOutOfTheCount()
    {
        Assert.Equal([0.02, double.NaN, 0.04], MultipleComparisons.BenjaminiHochberg([0.01, double.NaN, 0.04]).Select(q => Math.Round(q, 6)));
    }

    [Fact]
    public void TwoSidedRankTest_ThreeAgainstThreeFullySeparated_IsOneTenth()
    {
        // The exact two-sided p of complete separation with 3 per arm is 2 / C(6, 3) = 0.1: three seeds can never
        // be significant at 0.05, however large the effect. Seven per arm can: 2 / C(14, 7) = 0.00058.
        Assert.Equal(0.1, MultipleComparisons.TwoSidedRankTest([1, 2, 3], [4, 5, 6]), 12);
        Assert.Equal(2.0 / 3432, MultipleComparisons.TwoSidedRankTest([1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, double.PositiveInfinity]), 12);
    }
}
