using Tuner.Core.Statistics;

namespace Tuner.Core.Tests.Statistics;

public sealed class FisherExactTests
{
    [Fact]
    public void Lower_TwoOfFiveAgainstTenOfTen_IsTenOverFourHundredFiftyFive()
    {
        // Only one table with these margins has 2 or fewer successes in the first row: C(5,2) C(10,10) / C(15,12).
        Assert.Equal(10.0 / 455, FisherExact.Lower(2, 5, 10, 10), 12);
    }

    [Fact]
    public void Lower_FourOfFiveAgainstTwentyOfTwentyFive_IsLargeSameShare()
    {
        // Same share (80%): P(X <= 4) = 1 - P(X = 5) = 1 - C(5,5) C(25,19) / C(30,24).
        double expected = 1 - (177100.0 / 593775);
        Assert.Equal(expected, FisherExact.Lower(4, 5, 20, 25), 10);
    }

    [Fact]
    public void Lower_AllReachedTonight_IsOne()
    {
        Assert.Equal(1.0, FisherExact.Lower(5, 5, 9, 10), 12);
    }

    [Fact]
    public void Lower_EmptyGroup_IsOne()
    {
        Assert.Equal(1.0, FisherExact.Lower(0, 0, 3, 5));
    }

    [Fact]
    public void Lower_MoreSuccessesThanTotal_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FisherExact.Lower(6, 5, 3, 5));
    }
}

public sealed class VariationTests
{
    [Fact]
    public void Coefficient_KnownSample_IsSampleStandardDeviationOverMean()
    {
        // Values 4, 6, 4, 6: mean 5, every deviation 1, sample variance 4/3.
        Assert.Equal(Math.Sqrt(4.0 / 3) / 5, Variation.Coefficient([4, 6, 4, 6]), 12);
    }

    [Fact]
    public void Coefficient_IgnoresCensoredValuesAndNeedsTwo()
    {
        Assert.Equal(Variation.Coefficient([4, 6]), Variation.Coefficient([4, double.PositiveInfinity, 6]), 12);
        Assert.True(double.IsNaN(Variation.Coefficient([4, double.PositiveInfinity])));
    }
}
