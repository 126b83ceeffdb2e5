using Tuner.Techniques.Optimization.LinearWarmup;

namespace Tuner.Techniques.Tests.Optimization.LinearWarmup;

public sealed class LinearWarmupMathTests
{
    [Theory]
    [InlineData(0L, 0.01)]
    [InlineData(49L, 0.5)]
    [InlineData(98L, 0.99)]
    [InlineData(99L, 1.0)]
    [InlineData(100L, 1.0)]
    [InlineData(500L, 1.0)]
    public void Factor_WarmupOfHundredSteps_RampsLinearlyThenStaysAtOne(long step, double expected)
    {
        Assert.Equal(expected, LinearWarmupMath.Factor(step, 100), 12);
    }

    [Fact]
    public void Factor_IsMonotoneAndNeverZero()
    {
        double[] factors = [.. Enumerable.Range(0, 30).Select(s => LinearWarmupMath.Factor(s, 20))];

        Assert.All(factors, f => Assert.InRange(f, 0.05, 1.0));
        Assert.Equal(factors.Order(), factors);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Factor_NoWarmup_IsOne(int warmupSteps)
    {
        Assert.Equal(1.0, LinearWarmupMath.Factor(0, warmupSteps));
    }
}
