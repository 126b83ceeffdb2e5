using Tuner.Techniques.Model.StochasticDepth;

namespace Tuner.Techniques.Tests.Model.StochasticDepth;

public sealed class StochasticDepthMathTests
{
    [Fact]
    public void SurvivalProbabilities_LinearDecay_EndsAtPLast()
    {
        Assert.Equal([1 - (0.5 / 3), 1 - (1.0 / 3), 0.5], StochasticDepthMath.SurvivalProbabilities(3, 0.5), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void SurvivalProbabilities_PLastOne_KeepsEveryBlock()
    {
        Assert.All(StochasticDepthMath.SurvivalProbabilities(4, 1.0), p => Assert.Equal(1.0, p));
    }

    [Theory]
    [InlineData(0.0, 0.5, false)]
    [InlineData(0.49, 0.5, false)]
    [InlineData(0.5, 0.5, true)]
    [InlineData(0.99, 1.0, false)]
    public void Drops_WhenTheDrawIsAtLeastTheSurvivalProbability(double uniform, double survival, bool expected)
    {
        Assert.Equal(expected, StochasticDepthMath.Drops(uniform, survival));
    }
}
