using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Systems.BatchSize;

public sealed class BatchSizeTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Fact]
    public void Run_Size100_FeedsBatchesOf100AndKeepsTheLearningRate()
    {
        var sizes = new List<long>();
        var rates = new List<double>();
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeForward, (_, s) =>
        {
            sizes.Add(s.Inputs!.shape[0]);
            rates.Add(s.LearningRate);
        });
        ITechnique technique = TechniqueRegistry.Create(TechniqueRegistry.Parse("batch_size:size=100"));

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(3), [technique, probe]), null, CancellationToken.None);

        Assert.Equal([100L, 100L, 100L], sizes);
        Assert.Equal(300, outcome.Samples);
        Assert.All(rates, r => Assert.Equal(suites.Get("digits-mlp").Suite.Baseline.LearningRate, r, 12));
    }

    [Fact]
    public void Validate_WithLargeBatch_IsAConflictNamingBoth()
    {
        var ex = Assert.Throws<Tuner.Core.Errors.TunerInputException>(() =>
            TechniqueRegistry.Validate([TechniqueRegistry.Parse("large_batch"), TechniqueRegistry.Parse("batch_size")]));

        Assert.Contains("batch_size", ex.Message, StringComparison.Ordinal);
        Assert.Contains("large_batch", ex.Message, StringComparison.Ordinal);
    }
}
