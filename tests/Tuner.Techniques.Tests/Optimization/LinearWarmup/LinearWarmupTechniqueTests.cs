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
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeOptimizerStep, (e, s) => seen.Add(new Seen(e, s.Step, s.CurrentLearningRate)));

        BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(14), techniques: [new LinearWarmupTechnique(10), probe]), null, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 14).Select(i => (long)i), seen.Select(s => s.Step));
        foreach (Seen s in seen)
        {
            Assert.Equal(digits.BaseLearningRate * Math.Min(1.0, (s.Step + 1) / 10.0), s.LearningRate, 12);
        }

        Assert.Equal(digits.BaseLearningRate * 0.1, seen[0].LearningRate, 12);
    }

    [Fact]
    public void Apply_BatchEnd_RestoresTheLearningRateForTheRestOfTheBatchAndTheNext()
    {
        var restored = new List<Seen>();
        var atStart = new List<Seen>();
        // Registered before warmup: at BatchEnd (reverse order) it runs after warmup's restore; at AfterDataLoader it runs first.
        var observer = new ProbeTechnique(
            "observer",
            (e, _) => e is TrainingEvent.BatchEnd or TrainingEvent.AfterDataLoader,
            (e, s) => (e == TrainingEvent.BatchEnd ? restored : atStart).Add(new Seen(e, s.Step, s.CurrentLearningRate)));

        BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(6), techniques: [observer, new LinearWarmupTechnique(10)]), null, CancellationToken.None);

        Assert.Equal(6, restored.Count);
        Assert.All(restored, s => Assert.Equal(digits.BaseLearningRate, s.LearningRate, 15));
        Assert.Equal(6, atStart.Count);
        Assert.All(atStart, s => Assert.Equal(digits.BaseLearningRate, s.LearningRate, 15));
    }

    [Fact]
    public void Apply_AfterWarmup_DoesNotActAnyMore()
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(
            digits.Request(CoreBudget.Steps(12), techniques: new LinearWarmupTechnique(5)), null, CancellationToken.None);

        Assert.Contains("BeforeOptimizerStep:warmup x5", outcome.Trace);
        Assert.Contains("BatchEnd:warmup x5", outcome.Trace);
    }

    [Fact]
    public void Apply_OnTopOfBudgetLinearDecay_MultipliesTheScheduledRate()
    {
        var seen = new List<Seen>();
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeOptimizerStep, (e, s) => seen.Add(new Seen(e, s.Step, s.CurrentLearningRate)));

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
