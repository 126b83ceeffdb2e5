using Tuner.Core.Trials;
using Tuner.Techniques.Data.DataPruning;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data.DataPruning;

public sealed class DataPruningTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private sealed record EpochView(int Epoch, long[] Order, double[] Scores);

    private int Rows => (int)suites.Get("digits-mlp").Data.Train.Count;

    private List<EpochView> Run(DataPruningTechnique technique, int steps)
    {
        var epochs = new List<EpochView>();
        double[] scores = [];
        // EL2N of every row under the model at EpochStart, computed by hand before the technique acts; the order after it.
        var scorer = new ProbeTechnique("scorer", TrainingEvent.EpochStart, (_, s) =>
            scores = DataTestSupport.El2nByHand(DataTestSupport.TrainLogits(s), DataTestSupport.Longs(s.Train.Labels), s.Train.ClassCount));
        var observer = new ProbeTechnique("observer", TrainingEvent.EpochStart, (_, s) => epochs.Add(new EpochView(s.Epoch, DataTestSupport.Longs(s.EpochIndices!), scores)));

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(steps), [scorer, technique, observer]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        return epochs;
    }

    [Fact]
    public void Apply_ScoreEpochZero_TrainsOnTheKeepFractionWithTheHighestEl2nFromTheFirstEpochOn()
    {
        // The kept rows (806 of digits' 1,151 train rows) make 26 batches of 32: one more step reaches the second epoch.
        long kept = DataPruningMath.KeptCount(0.7, Rows);
        List<EpochView> epochs = Run(new DataPruningTechnique(new DataPruningOptions { Keep = 0.7, ScoreEpoch = 0 }), (int)((kept + 31) / 32) + 1);

        Assert.Equal(2, epochs.Count);
        EpochView first = epochs[0];
        int n = first.Scores.Length;
        Assert.Equal(Rows, n);
        Assert.Equal(kept, first.Order.Length); // round(0.7 * rows)
        Assert.Equal(806, kept);
        Assert.Equal(first.Order.Length, first.Order.Distinct().Count());
        double lowestKept = first.Order.Min(r => first.Scores[r]);
        double highestDropped = Enumerable.Range(0, n).Except(first.Order.Select(r => (int)r)).Max(r => first.Scores[r]);
        Assert.True(lowestKept >= highestDropped - 1e-5, $"kept rows must be the hardest: lowest kept {lowestKept}, highest dropped {highestDropped}");

        EpochView second = epochs[1];
        Assert.Equal(first.Order.Order(), second.Order.Order()); // the same rows, not re-scored
        Assert.NotEqual(first.Order, second.Order); // reshuffled
    }

    [Fact]
    public void Apply_ScoreEpochOne_KeepsTheFullFirstEpochAndPrunesFromTheSecond()
    {
        List<EpochView> epochs = Run(new DataPruningTechnique(new DataPruningOptions { Keep = 0.5, ScoreEpoch = 1 }), 46);

        Assert.Equal(2, epochs.Count);
        Assert.Equal(Rows, epochs[0].Order.Distinct().Count());
        EpochView second = epochs[1];
        Assert.Equal(DataPruningMath.KeptCount(0.5, Rows), second.Order.Length); // round(0.5 * rows)
        double lowestKept = second.Order.Min(r => second.Scores[r]);
        double highestDropped = Enumerable.Range(0, Rows).Except(second.Order.Select(r => (int)r)).Max(r => second.Scores[r]);
        Assert.True(lowestKept >= highestDropped - 1e-5, $"scored with the model after one epoch: lowest kept {lowestKept}, highest dropped {highestDropped}");
    }
}
