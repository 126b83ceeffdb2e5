using Tuner.Core.Configuration;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Systems.EvalCadence;

public sealed class EvalCadenceTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Fact]
    public void Run_Every7Steps_EvaluatesAtMultiplesOf7AndAtTheEnd()
    {
        ITechnique technique = TechniqueRegistry.Create(TechniqueRegistry.Parse("eval_cadence:every=7"));

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(30), [technique]), null, CancellationToken.None);

        Assert.Equal([7L, 14L, 21L, 28L, 30L], outcome.Curve.Select(p => p.Step));
    }

    [Fact]
    public void Run_WithoutTechnique_UsesTheSuiteCadence()
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(30), []), null, CancellationToken.None);

        Assert.Equal([10L, 20L, 30L], outcome.Curve.Select(p => p.Step));
    }
}
