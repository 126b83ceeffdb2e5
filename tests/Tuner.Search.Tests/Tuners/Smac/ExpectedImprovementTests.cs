using Tuner.Search.Tuners.Smac;

namespace Tuner.Search.Tests.Tuners.Smac;

public sealed class ExpectedImprovementTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.959964, 0.975)]
    [InlineData(-1.959964, 0.025)]
    [InlineData(3.0, 0.998650)]
    public void NormalCdf_KnownPoints_Match(double z, double expected) =>
        Assert.Equal(expected, ExpectedImprovement.NormalCdf(z), 5);

    [Fact]
    public void Of_NoSpread_IsPlainImprovement()
    {
        Assert.Equal(0.3, ExpectedImprovement.Of(mean: 0.7, std: 0, best: 1.0), 12);
        Assert.Equal(0.0, ExpectedImprovement.Of(mean: 1.2, std: 0, best: 1.0));
    }

    [Fact]
    public void Of_AtTheBest_IsStdOverSqrtTwoPi() =>
        Assert.Equal(0.4 / Math.Sqrt(2 * Math.PI), ExpectedImprovement.Of(mean: 1.0, std: 0.4, best: 1.0), 6);

    [Fact]
    public void Of_MoreSpreadOrLowerMean_IsLarger()
    {
        Assert.True(ExpectedImprovement.Of(1.5, 0.5, 1.0) > ExpectedImprovement.Of(1.5, 0.2, 1.0));
        Assert.True(ExpectedImprovement.Of(0.8, 0.2, 1.0) > ExpectedImprovement.Of(1.2, 0.2, 1.0));
        Assert.True(ExpectedImprovement.Of(3.0, 0.1, 1.0) >= 0);
    }
}
