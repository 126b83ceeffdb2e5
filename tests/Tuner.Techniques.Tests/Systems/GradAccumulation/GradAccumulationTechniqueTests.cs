using Tuner.Core.Trials;
using Tuner.Techniques.Systems.GradAccumulation;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Systems.GradAccumulation;

public sealed class GradAccumulationTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Theory]
    [InlineData("digits-mlp", 4)]
    [InlineData("tiny-lm", 3)]
    public void Run_Accumulated_TakesTheSameStepsAsTheWholeBatch(string suite, int parts)
    {
        // Same seed, same batches: the summed gradient of the parts is the batch's mean-loss gradient, so the learning
        // curve matches the plain run's up to float rounding.
        TrainingOutcome whole = BudgetedTrainer.Run(suites.Request(suite, CoreBudget.Steps(40), []), null, CancellationToken.None);
        TrainingOutcome accumulated = BudgetedTrainer.Run(suites.Request(suite, CoreBudget.Steps(40), [new GradAccumulationTechnique(parts)]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, accumulated.Status);
        Assert.Equal(40, accumulated.OptimizerSteps);
        Assert.Equal(whole.Curve.Count, accumulated.Curve.Count);
        Assert.All(whole.Curve.Zip(accumulated.Curve), p =>
        {
            Assert.Equal(p.First.EvalLoss, p.Second.EvalLoss, 0.01);
            Assert.Equal(p.First.TrainLoss, p.Second.TrainLoss, 0.01);
        });
    }

    [Fact]
    public void Run_MorePartsThanRows_SplitsIntoSingleRows()
    {
        var parts = new List<long>();
        var watch = new ProbeTechnique("watch", TrainingEvent.BeforeForward, (_, s) => parts.Add(s.Inputs!.shape[0]));

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(1), [new GradAccumulationTechnique(1000), watch]), null, CancellationToken.None);

        Assert.Equal(1, outcome.OptimizerSteps);
        Assert.Equal(Enumerable.Repeat(1L, 32), parts); // digits-mlp's batch of 32, one row each
    }
}
