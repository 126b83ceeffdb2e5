using Tuner.Core.Trials;
using Tuner.Techniques.Data.Curriculum;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data.Curriculum;

public sealed class CurriculumTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private sealed record EpochView(int Epoch, long[] Order, double[] Losses);

    private List<EpochView> Run(CurriculumTechnique technique, int steps)
    {
        var epochs = new List<EpochView>();
        double[] losses = [];
        // Every row's loss under the model at EpochStart, computed by hand before the technique acts; the order after it.
        var scorer = new ProbeTechnique("scorer", TrainingEvent.EpochStart, (_, s) => losses = DataTestSupport.TrainCrossEntropy(s));
        var observer = new ProbeTechnique("observer", TrainingEvent.EpochStart, (_, s) => epochs.Add(new EpochView(s.Epoch, DataTestSupport.Longs(s.EpochIndices!), losses)));

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(steps), [scorer, technique, observer]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        return epochs;
    }

    private int Rows => (int)suites.Get("digits-mlp").Data.Train.Count;

    private static int Inversions(EpochView view) =>
        Enumerable.Range(1, view.Order.Length - 1).Count(i => view.Losses[view.Order[i]] < view.Losses[view.Order[i - 1]] - 1e-5);

    [Fact]
    public void Apply_FirstEpoch_VisitsEveryRowFromLowestToHighestLossThenRandomOrder()
    {
        List<EpochView> epochs = Run(new CurriculumTechnique(new CurriculumOptions { Epochs = 1 }), 46);

        Assert.Equal(2, epochs.Count);
        EpochView first = epochs[0];
        Assert.Equal(Rows, first.Order.Distinct().Count());
        Assert.Equal(0, Inversions(first));
        Assert.True(first.Losses[first.Order[^1]] > first.Losses[first.Order[0]] + 0.5, "losses must differ, or the order proves nothing");

        EpochView second = epochs[1];
        Assert.Equal(Rows, second.Order.Distinct().Count());
        Assert.True(Inversions(second) > 500, $"after the curriculum epochs the order is random again ({Inversions(second)} inversions)");
    }

    [Fact]
    public void Apply_WithPacing_FirstEpochUsesTheEasiestFractionAndTheLastAllRows()
    {
        // Half the rows (of digits' 1,151 train rows) make 18 batches: one more step reaches the second (last) curriculum epoch.
        long half = CurriculumMath.PacedCount(Rows, 0.5, 0, 2);
        List<EpochView> epochs = Run(new CurriculumTechnique(new CurriculumOptions { Epochs = 2, StartFraction = 0.5 }), (int)((half + 31) / 32) + 1);

        Assert.Equal(2, epochs.Count);
        EpochView first = epochs[0];
        Assert.Equal(half, first.Order.Length); // round(0.5 * rows)
        Assert.InRange(half, 575, 576);
        Assert.Equal(0, Inversions(first));
        double hardestUsed = first.Order.Max(r => first.Losses[r]);
        double easiestLeft = Enumerable.Range(0, Rows).Except(first.Order.Select(r => (int)r)).Min(r => first.Losses[r]);
        Assert.True(hardestUsed <= easiestLeft + 1e-5, $"paced epoch must hold the easiest rows: hardest used {hardestUsed}, easiest left out {easiestLeft}");

        EpochView second = epochs[1];
        Assert.Equal(Rows, second.Order.Distinct().Count());
        Assert.Equal(0, Inversions(second)); // re-scored with the trained model and sorted again
    }
}
