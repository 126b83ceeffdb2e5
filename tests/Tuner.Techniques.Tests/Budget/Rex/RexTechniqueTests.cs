using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Techniques.Budget.Rex;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Budget.Rex;

public sealed class RexTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Apply_EveryBatch_SetsTheRexRateOfTheBudgetFractionEvenAfterSomethingChangedIt()
    {
        var seen = new Dictionary<long, double>();
        // A probe that overwrites the rate at every BatchEnd: rex must set it again at the next AfterDataLoader.
        var vandal = new ProbeTechnique("vandal", TrainingEvent.BatchEnd, (_, s) => s.SetLearningRate(123));
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeOptimizerStep, (_, s) => seen[s.Step] = s.CurrentLearningRate);

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(10), techniques: [vandal, new RexTechnique(), probe]), null, CancellationToken.None);

        Assert.Contains("AfterDataLoader:rex x10", outcome.Trace);
        Assert.Equal(10, seen.Count);
        Assert.Equal(digits.BaseLearningRate, seen[0], 12);
        Assert.Equal(digits.BaseLearningRate * 2 / 3, seen[5], 12);
        Assert.All(seen, kv => Assert.Equal(digits.BaseLearningRate * (1 - (kv.Key / 10.0)) / (0.5 + (0.5 * (1 - (kv.Key / 10.0)))), kv.Value, 12));
    }

    [Theory]
    [InlineData("budget_linear_decay")]
    [InlineData("cosine")]
    [InlineData("one_cycle")]
    [InlineData("step")]
    public void Registry_WithAnotherSchedule_IsRejectedInEitherOrder(string other)
    {
        Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of("rex"), TechniqueSpec.Of(other)]));
        Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of(other), TechniqueSpec.Of("rex")]));
    }
}
