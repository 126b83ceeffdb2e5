using Tuner.Techniques.Budget.BudgetLinearDecay;
using Tuner.Techniques.Optimization.LinearWarmup;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.LinearWarmup;

public sealed class LinearWarmupTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private sealed record Seen(TrainingEvent Event, long Step, double LearningRate);

    [Fact]
    public void Apply_BeforeOptimizerStep_ScalesTheLearningRateByTheWarmupFactor()
    {
        var seen = new List<Seen>();
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeOptimizerStep, (e, s) => seen.Add(new Seen(e, s.Step, s.LearningRate)));

        BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(14), techniques: [new LinearWarmupTechnique(10), probe]), null, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 14).Select(i => (long)i), seen.Select(s => s.Step));
        foreach (Seen s in seen)
        {
            Assert.Equal(digits.BaseLearningRate * Math.Min(1.0, (s.Step + 1) / 10.0), s.LearningRate, 12);
        }

        Assert.Equal(digits.BaseLearningRate * 0.1, seen[0].LearningRate, 12);
    }

    [Fact]
    public void Run_TheOptimizer_StepsAtTheWarmedUpRate_ReadBackFromIt()
    {
        var stepped = new List<Seen>();
        var observer = new ProbeTechnique("observer", TrainingEvent.AfterOptimizerStep, (e, s) => stepped.Add(new Seen(e, s.Step, s.OptimizerLearningRate)));

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(12), techniques: [observer, new LinearWarmupTechnique(5)]), null, CancellationToken.None);

        Assert.Equal(12, stepped.Count);
        Assert.All(stepped, s => Assert.Equal(digits.BaseLearningRate * Math.Min(1.0, s.Step / 5.0), s.LearningRate, 15)); // Step counts the step just taken
        Assert.Contains("LearningRate:warmup x12", outcome.Trace);
    }

    [Fact]
    public void Apply_OnTopOfBudgetLinearDecay_MultipliesTheScheduledRate()
    {
        var seen = new List<Seen>();
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeOptimizerStep, (e, s) => seen.Add(new Seen(e, s.Step, s.LearningRate)));

        BudgetedTrainer.Run(
            digits.Request(CoreBudget.Steps(20), techniques: [new BudgetLinearDecayTechnique(0), new LinearWarmupTechnique(10), probe]),
            null,
            CancellationToken.None);

        Assert.Equal(20, seen.Count);
        foreach (Seen s in seen)
        {
            double expected = digits.BaseLearningRate * (1 - (s.Step / 20.0)) * Math.Min(1.0, (s.Step + 1) / 10.0);
            Assert.Equal(expected, s.LearningRate, 12);
        }
    }
}
