using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Techniques.Budget.Rex;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Budget.Rex;

public sealed class RexTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Run_EveryStep_TheOptimizerStepsAtTheRexRateOfTheBudgetFraction()
    {
        var seen = new Dictionary<long, double>();
        // Read back from the optimizer right after its step: the rate it actually stepped with.
        var probe = new ProbeTechnique("probe", TrainingEvent.AfterOptimizerStep, (_, s) => seen[s.Step - 1] = s.OptimizerLearningRate); // Step counts the step just taken

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(10), techniques: [new RexTechnique(), probe]), null, CancellationToken.None);

        Assert.Contains("LearningRate:rex x10", outcome.Trace);
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
