using Tuner.Core.Statistics;

namespace Tuner.Core.Tests.Statistics;

public sealed class BootstrapTests
{
    [Fact]
    public void MedianInterval_TightSample_IsNarrowAndContainsTheMedian()
    {
        Interval i = Bootstrap.MedianInterval([5.0, 5.1, 4.9, 5.05, 4.95]);

        Assert.Equal(5.0, i.Estimate);
        Assert.InRange(i.Low, 4.9, 5.0);
        Assert.InRange(i.High, 5.0, 5.1);
        Assert.True(i.RelativeHalfWidth < 0.02);
    }

    [Fact]
    public void MedianInterval_CensoredValues_ReachInfinityAtTheTop()
    {
        Interval i = Bootstrap.MedianInterval([1.0, 2.0, double.PositiveInfinity]);

        Assert.Equal(2.0, i.Estimate);
        Assert.True(double.IsPositiveInfinity(i.High));
        Assert.True(double.IsPositiveInfinity(i.RelativeHalfWidth));
    }

    [Fact]
    public void MedianInterval_SameSeed_IsReproducible()
    {
        double[] values = [3, 1, 4, 1, 5, 9, 2, 6];

        Assert.Equal(Bootstrap.MedianInterval(values), Bootstrap.MedianInterval(values));
    }
}
