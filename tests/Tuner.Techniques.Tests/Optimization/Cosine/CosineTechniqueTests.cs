using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Techniques.Optimization.Cosine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.Cosine;

public sealed class CosineTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Apply_StepBudget_EveryStepUsesTheCosineOfTheBudgetFraction()
    {
        Dictionary<long, double> rate = ScheduleProbe.RateAtEachStep(digits.Request(CoreBudget.Steps(40), techniques: new CosineTechnique(0.1)));

        Assert.Equal(40, rate.Count);
        Assert.All(rate, kv => Assert.Equal(digits.BaseLearningRate * (0.1 + (0.9 * 0.5 * (1 + Math.Cos(Math.PI * kv.Key / 40.0)))), kv.Value, 12));
        Assert.Equal(digits.BaseLearningRate, rate[0], 12);
        Assert.Equal(digits.BaseLearningRate * 0.55, rate[20], 12);
    }

    [Theory]
    [InlineData("one_cycle")]
    [InlineData("step")]
    [InlineData("budget_linear_decay")]
    [InlineData("rex")]
    public void Registry_WithAnotherSchedule_IsRejectedInEitherOrder(string other)
    {
        Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of("cosine"), TechniqueSpec.Of(other)]));
        Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of(other), TechniqueSpec.Of("cosine")]));
    }
}
