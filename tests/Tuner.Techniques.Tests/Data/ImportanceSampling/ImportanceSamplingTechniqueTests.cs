using Tuner.Core.Trials;
using Tuner.Techniques.Data.ImportanceSampling;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data.ImportanceSampling;

public sealed class ImportanceSamplingTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private const double Smoothing = 0.1;

    private sealed record EpochView(int Epoch, long[] Order, float[] Estimates, Dictionary<long, double> LatestLoss);

    /// <summary>
    /// Trains into epoch <paramref name="lastEpoch"/> (45 batches an epoch); records at each EpochStart the order, the
    /// estimates and each row's latest loss seen in a forward pass so far.
    /// </summary>
    private (List<EpochView> Epochs, int Rows) Run(int warmupEpochs, int lastEpoch)
    {
        var technique = new ImportanceSamplingTechnique(new ImportanceSamplingOptions { WarmupEpochs = warmupEpochs, Smoothing = Smoothing });
        var epochs = new List<EpochView>();
        var latest = new Dictionary<long, double>();
        var observer = new ProbeTechnique(
            "observer",
            (e, _) => e is TrainingEvent.EpochStart or TrainingEvent.AfterForward,
            (e, s) =>
            {
                if (e == TrainingEvent.EpochStart)
                {
                    epochs.Add(new EpochView(s.Epoch, DataTestSupport.Longs(s.EpochIndices!), technique.LossEstimates(), new Dictionary<long, double>(latest)));
                    return;
                }

                long[] rows = DataTestSupport.Longs(s.EpochIndices!.narrow(0, s.BatchInEpoch * 32L, s.Targets!.shape[0]));
                double[] losses = DataTestSupport.CrossEntropyByHand(DataTestSupport.Floats(s.Outputs!), DataTestSupport.Longs(s.Targets), 10);
                for (int i = 0; i < rows.Length; i++)
                {
                    latest[rows[i]] = losses[i];
                }
            });

        // Listed after the technique: at EpochStart it sees the order the technique set.
        TrainingOutcome outcome = BudgetedTrainer.Run(
            suites.Request("digits-mlp", CoreBudget.Steps((45 * lastEpoch) + 1), [technique, observer]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Empty(technique.LossEstimates()); // disposed at FitEnd
        Assert.Equal(lastEpoch + 1, epochs.Count);
        return (epochs, (int)suites.Get("digits-mlp").Data.Train.Count);
    }

    private static void AssertEstimatesAreLatestLosses(EpochView view, int n)
    {
        Assert.Equal(n, view.Estimates.Length);
        for (int row = 0; row < n; row++)
        {
            double expected = view.LatestLoss.TryGetValue(row, out double loss) ? loss : Math.Log(10);
            Assert.True(Math.Abs(view.Estimates[row] - expected) < 1e-4, $"row {row}: estimate {view.Estimates[row]} vs latest loss {expected}");
        }
    }

    [Fact]
    public void Apply_NoWarmup_SamplesFromTheFirstEpochAndKeepsTheUniformPriorForUnseenRows()
    {
        (List<EpochView> epochs, int n) = Run(warmupEpochs: 0, lastEpoch: 1);

        Assert.Equal(n, epochs[0].Order.Length);
        Assert.True(epochs[0].Order.Distinct().Count() < n * 0.8, "drawing N rows with replacement leaves about 1/e of the rows out");
        Assert.All(epochs[0].Estimates, e => Assert.Equal(Math.Log(10), e, 5));
        Assert.True(epochs[1].LatestLoss.Count < n, "rows never drawn in the first epoch keep the prior");
        AssertEstimatesAreLatestLosses(epochs[1], n);
    }

    [Fact]
    public void Apply_AfterWarmup_DrawsRowsInProportionToLossPlusSmoothing()
    {
        (List<EpochView> epochs, int n) = Run(warmupEpochs: 3, lastEpoch: 3);

        Assert.All(epochs.Take(3), e => Assert.Equal(n, e.Order.Distinct().Count())); // warm-up: the trainer's permutations
        EpochView sampled = epochs[3];
        Assert.Equal(n, sampled.LatestLoss.Count);
        AssertEstimatesAreLatestLosses(sampled, n);
        Assert.Equal(n, sampled.Order.Length);

        // The harder half of the rows should get its share of the weights, sum(w, hard half) / sum(w), of the draws.
        double[] weights = [.. sampled.Estimates.Select(e => e + Smoothing)];
        HashSet<long> hardHalf = [.. Enumerable.Range(0, n).OrderByDescending(r => weights[r]).Take(n / 2).Select(r => (long)r)];
        double expectedShare = hardHalf.Sum(r => weights[r]) / weights.Sum();
        double drawnShare = sampled.Order.Count(hardHalf.Contains) / (double)n;
        Assert.True(expectedShare > 0.6, $"losses must vary enough for the test to mean something (hard half's weight share {expectedShare})");
        Assert.InRange(drawnShare, expectedShare - 0.04, expectedShare + 0.04); // about 3 binomial standard deviations
    }
}
