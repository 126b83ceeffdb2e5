using Tuner.Techniques.Optimization.Cosine;

namespace Tuner.Techniques.Tests.Optimization.Cosine;

public sealed class CosineMathTests
{
    [Theory]
    [InlineData(0.0, 0.0, 0.1)]
    [InlineData(0.5, 0.0, 0.05)]
    [InlineData(1.0, 0.0, 0.0)]
    [InlineData(0.25, 0.0, 0.085355339059327)]
    [InlineData(1.0, 0.1, 0.01)]
    [InlineData(0.5, 0.1, 0.055)]
    [InlineData(1.5, 0.0, 0.0)]
    [InlineData(-0.5, 0.0, 0.1)]
    public void LearningRate_Fraction_FollowsHalfACosineToTheFloor(double fraction, double minFactor, double expected)
    {
        Assert.Equal(expected, CosineMath.LearningRate(0.1, fraction, minFactor), 12);
    }
}
