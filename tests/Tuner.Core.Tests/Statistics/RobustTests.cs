using Tuner.Core.Statistics;

namespace Tuner.Core.Tests.Statistics;

public sealed class RobustTests
{
    [Fact]
    public void Median_OddAndEven_AreTheMiddleValues()
    {
        Assert.Equal(2.0, Robust.Median([3.0, 1.0, 2.0]));
        Assert.Equal(2.5, Robust.Median([4.0, 1.0, 3.0, 2.0]));
    }

    [Fact]
    public void Median_MoreThanHalfCensored_IsInfinite_LessThanHalfIsFinite()
    {
        Assert.Equal(double.PositiveInfinity, Robust.Median([1.0, double.PositiveInfinity, double.PositiveInfinity]));
        Assert.Equal(2.0, Robust.Median([1.0, 2.0, double.PositiveInfinity]));
        Assert.Equal(double.PositiveInfinity, Robust.Median([1.0, 2.0, double.PositiveInfinity, double.PositiveInfinity]));
    }

    [Fact]
    public void Quantile_InterpolatesBetweenOrderStatistics()
    {
        Assert.Equal(1.5, Robust.Quantile([1.0, 2.0, 3.0], 0.25), 10);
        Assert.Equal(3.0, Robust.Quantile([1.0, 2.0, 3.0], 1.0), 10);
    }
}
