using Tuner.Core.Statistics;

namespace Tuner.Core.Tests.Statistics;

public sealed class ThroughputTests
{
    [Fact]
    public void Steady_DropsWindowsSlowedFromOutsideAndTakesTheMedianOfTheRest()
    {
        // Nine windows near 100k samples/s and two that another process slowed to 40k and 55k.
        double[] rates = [100_000, 101_000, 99_000, 100_500, 40_000, 99_500, 100_200, 55_000, 100_800, 99_800, 100_100];

        double? steady = Throughput.Steady(rates);

        Assert.Equal(100_100, steady);
        Assert.True(steady > Robust.Median(rates) - 1, "never lower than the plain median");
    }

    [Fact]
    public void Steady_FewerThanThreeWindows_IsNull()
    {
        Assert.Null(Throughput.Steady([100.0, 200.0]));
        Assert.Equal(200.0, Throughput.Steady([100.0, 200.0, 300.0]));
    }
}
