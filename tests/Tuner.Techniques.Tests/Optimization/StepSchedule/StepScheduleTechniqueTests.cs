using Tuner.Core.Errors;
using Tuner.Core.Configuration;
using Tuner.Techniques.Optimization.StepSchedule;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.StepSchedule;

public sealed class StepScheduleTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Apply_StepBudget_DropsExactlyAtTheMilestoneSteps()
    {
        var options = new StepScheduleOptions { First = 0.3, Second = 0.6, Gamma = 0.5 };

        Dictionary<long, double> rate = ScheduleProbe.RateAtEachStep(digits.Request(CoreBudget.Steps(20), techniques: new StepScheduleTechnique(options)));

        Assert.Equal(20, rate.Count);
        Assert.All(rate.Where(kv => kv.Key < 6), kv => Assert.Equal(digits.BaseLearningRate, kv.Value, 12));
        Assert.All(rate.Where(kv => kv.Key is >= 6 and < 12), kv => Assert.Equal(digits.BaseLearningRate * 0.5, kv.Value, 12));
        Assert.All(rate.Where(kv => kv.Key >= 12), kv => Assert.Equal(digits.BaseLearningRate * 0.25, kv.Value, 12));
    }

    [Fact]
    public void Registry_MilestonesOutOfOrder_AreRejectedWhenParsed()
    {
        var error = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Parse("step:first=0.9,second=0.2"));

        OneLineAssert.Message(error, "step", "second");
        Assert.Equal(new StepScheduleOptions(), Assert.IsType<StepScheduleTechnique>(TechniqueRegistry.Create(TechniqueSpec.Of("step"))).Options);
    }
}
