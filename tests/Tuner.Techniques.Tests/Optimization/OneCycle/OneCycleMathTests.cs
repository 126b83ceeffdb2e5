using Tuner.Techniques.Optimization.OneCycle;

namespace Tuner.Techniques.Tests.Optimization.OneCycle;

public sealed class OneCycleMathTests
{
    private static readonly OneCycleOptions Cosine = new() { MaxFactor = 10, PctStart = 0.25, MinFactor = 0.1 };

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.125, 5.5)]
    [InlineData(0.25, 10.0)]
    [InlineData(0.625, 5.05)]
    [InlineData(1.0, 0.1)]
    public void LearningRate_CosineAnneal_RisesLinearlyThenFollowsACosineDown(double fraction, double factor)
    {
        Assert.Equal(0.01 * factor, OneCycleMath.LearningRate(0.01, fraction, Cosine), 12);
    }

    [Theory]
    [InlineData(0.25, 10.0)]
    [InlineData(0.5, 6.7)]
    [InlineData(0.625, 5.05)]
    [InlineData(1.0, 0.1)]
    public void LearningRate_LinearAnneal_FallsOnAStraightLine(double fraction, double factor)
    {
        Assert.Equal(0.01 * factor, OneCycleMath.LearningRate(0.01, fraction, Cosine with { LinearAnneal = true }), 12);
    }

    [Fact]
    public void Validate_MinAboveMax_IsAOneLineInputError()
    {
        var error = Assert.Throws<Tuner.Core.Errors.TunerInputException>(() => new OneCycleOptions { MaxFactor = 1, MinFactor = 2 }.Validate());
        OneLineAssert.Message(error, "one_cycle", "min_factor");
    }
}
