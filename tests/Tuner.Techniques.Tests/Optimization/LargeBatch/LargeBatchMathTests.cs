using Tuner.Techniques.Optimization.LargeBatch;

namespace Tuner.Techniques.Tests.Optimization.LargeBatch;

public sealed class LargeBatchMathTests
{
    [Theory]
    [InlineData(4, 1.0, 0.4)]
    [InlineData(4, 0.5, 0.2)]
    [InlineData(9, 0.5, 0.3)]
    [InlineData(8, 0.0, 0.1)]
    public void LearningRate_FactorAndPower_ScalesByFactorToThePower(int factor, double power, double expected)
    {
        Assert.Equal(expected, LargeBatchMath.LearningRate(0.1, factor, power), 12);
    }

    [Fact]
    public void BatchSize_Factor_Multiplies()
    {
        Assert.Equal(128, LargeBatchMath.BatchSize(32, 4));
    }
}
