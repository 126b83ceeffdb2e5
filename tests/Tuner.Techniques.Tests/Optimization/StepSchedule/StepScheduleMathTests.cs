using Tuner.Techniques.Optimization.StepSchedule;

namespace Tuner.Techniques.Tests.Optimization.StepSchedule;

public sealed class StepScheduleMathTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.49, 1.0)]
    [InlineData(0.5, 0.1)]
    [InlineData(0.74, 0.1)]
    [InlineData(0.75, 0.01)]
    [InlineData(1.0, 0.01)]
    public void LearningRate_Fraction_DropsByGammaAtEachMilestone(double fraction, double factor)
    {
        Assert.Equal(0.2 * factor, StepScheduleMath.LearningRate(0.2, fraction, new StepScheduleOptions()), 12);
    }

    [Fact]
    public void Validate_MilestonesOutOfOrder_IsAOneLineInputError()
    {
        var error = Assert.Throws<Tuner.Core.Errors.TunerInputException>(() => new StepScheduleOptions { First = 0.8, Second = 0.3 }.Validate());
        OneLineAssert.Message(error, "step", "second", "first");
    }
}
