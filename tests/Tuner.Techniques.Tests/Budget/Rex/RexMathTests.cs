using Tuner.Techniques.Budget.Rex;

namespace Tuner.Techniques.Tests.Budget.Rex;

public sealed class RexMathTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 2.0 / 3.0)]
    [InlineData(0.9, 0.1 / 0.55)]
    [InlineData(1.0, 0.0)]
    [InlineData(2.0, 0.0)]
    [InlineData(-1.0, 1.0)]
    public void LearningRate_Fraction_FollowsTheRexProfile(double fraction, double factor)
    {
        Assert.Equal(0.3 * factor, RexMath.LearningRate(0.3, fraction), 12);
    }

    [Fact]
    public void LearningRate_StaysAboveLinearDecayBeforeTheEnd()
    {
        // REX decays more slowly than linear early on: (1 - f) / (0.5 + 0.5 (1 - f)) >= 1 - f.
        Assert.All(Enumerable.Range(1, 99).Select(i => i / 100.0), f => Assert.True(RexMath.LearningRate(1, f) > 1 - f));
    }
}
