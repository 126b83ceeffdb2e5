using Tuner.Core.Configuration;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Systems.EvalCadence;

public sealed class EvalCadenceTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Fact]
    public void Run_Every224Samples_EvaluatesAtMultiplesOf7StepsOfBatch32AndAtTheEnd()
    {
        ITechnique technique = TechniqueRegistry.Create(TechniqueRegistry.Parse("eval_cadence:samples=224"));

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(30), [technique]), null, CancellationToken.None);

        Assert.Equal([7L, 14L, 21L, 28L, 30L], outcome.Curve.Select(p => p.Step));
    }

    [Fact]
    public void Run_CadenceNotAMultipleOfTheBatch_EvaluatesAtTheFirstStepPastEachMultiple()
    {
        ITechnique technique = TechniqueRegistry.Create(TechniqueRegistry.Parse("eval_cadence:samples=100"));

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(10), [technique]), null, CancellationToken.None);

        // Batch 32: samples 128 (step 4) passes 100, 224 (step 7) passes 200, 320 (step 10) passes 300.
        Assert.Equal([4L, 7L, 10L], outcome.Curve.Select(p => p.Step));
        Assert.Equal([128L, 224L, 320L], outcome.Curve.Select(p => p.Samples));
    }

    [Fact]
    public void Run_WithoutTechnique_UsesTheSuiteCadence()
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(30), []), null, CancellationToken.None);

        Assert.Equal([10L, 20L, 30L], outcome.Curve.Select(p => p.Step));
    }
}
