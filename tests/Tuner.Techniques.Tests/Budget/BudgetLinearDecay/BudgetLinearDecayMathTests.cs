using Tuner.Techniques.Budget.BudgetLinearDecay;

namespace Tuner.Techniques.Tests.Budget.BudgetLinearDecay;

public sealed class BudgetLinearDecayMathTests
{
    [Theory]
    [InlineData(0.0, 0.0, 0.1)]
    [InlineData(0.25, 0.0, 0.075)]
    [InlineData(0.5, 0.0, 0.05)]
    [InlineData(1.0, 0.0, 0.0)]
    [InlineData(0.95, 0.1, 0.01)]
    [InlineData(0.5, 0.1, 0.05)]
    [InlineData(1.5, 0.0, 0.0)]
    [InlineData(-1.0, 0.0, 0.1)]
    public void LearningRate_Fraction_DecaysLinearlyToTheFloor(double fraction, double minFactor, double expected)
    {
        Assert.Equal(expected, BudgetLinearDecayMath.LearningRate(0.1, fraction, minFactor), 12);
    }
}
