using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Techniques.Optimization.LargeBatch;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.LargeBatch;

public sealed class LargeBatchTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private sealed record Seen(int BatchSize, double BaseRate, double Rate, long Rows);

    private List<Seen> Run(LargeBatchTechnique technique, CoreBudget budget)
    {
        var seen = new List<Seen>();
        var probe = new ProbeTechnique("probe", TrainingEvent.AfterDataLoader, (_, s) => seen.Add(new Seen(s.BatchSize, s.BaseLearningRate, s.LearningRate, s.Inputs!.shape[0])));
        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(budget, techniques: [technique, probe]), null, CancellationToken.None);
        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        return seen;
    }

    [Theory]
    [InlineData(0.5, 2.0)]
    [InlineData(1.0, 4.0)]
    public void Apply_FitStart_MultipliesTheBatchSizeAndScalesTheBaseRateTheOptimizerIsBuiltWith(double power, double rateFactor)
    {
        List<Seen> seen = Run(new LargeBatchTechnique(4, power), CoreBudget.Steps(3));

        int batch = digits.Suite.Baseline.BatchSize * 4;
        Assert.Equal(3, seen.Count);
        Assert.All(seen, s => Assert.Equal(batch, s.BatchSize));
        Assert.All(seen, s => Assert.Equal(batch, s.Rows));
        Assert.All(seen, s => Assert.Equal(digits.BaseLearningRate * rateFactor, s.BaseRate, 15));
        Assert.All(seen, s => Assert.Equal(digits.BaseLearningRate * rateFactor, s.Rate, 15));
    }

    [Fact]
    public void Apply_EpochBudget_TakesFourTimesFewerSteps()
    {
        List<Seen> seen = Run(new LargeBatchTechnique(4, 0.5), CoreBudget.Epochs(1));

        int batch = digits.Suite.Baseline.BatchSize * 4;
        Assert.Equal((digits.Data.Train.Count + batch - 1) / batch, seen.Count);
        Assert.Equal(digits.Data.Train.Count - ((seen.Count - 1) * batch), seen[^1].Rows); // the last batch holds the rest
    }

    [Fact]
    public void Registry_NoOptions_QuadruplesTheBatchWithSquareRootScaling()
    {
        var technique = Assert.IsType<LargeBatchTechnique>(TechniqueRegistry.Create(TechniqueSpec.Of("large_batch")));

        Assert.Equal(4, technique.Factor);
        Assert.Equal(0.5, technique.LearningRatePower);
    }
}
