using TorchSharp;
using Tuner.Core.Trials;
using Tuner.Techniques.Systems.Prefetch;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Systems.Prefetch;

public sealed class PrefetchTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private sealed record Batch(int Epoch, int Index, float[] Inputs, long[] Targets);

    /// <summary>Runs with prefetch first and a recorder after it; returns the batches delivered and each epoch's final row order.</summary>
    private (List<Batch> Batches, Dictionary<int, long[]> Orders, TrainingOutcome Outcome, long LiveBefore, long LiveAfter) Run(
        PrefetchTechnique prefetch, CoreBudget budget, params ITechnique[] more)
    {
        var batches = new List<Batch>();
        var orders = new Dictionary<int, long[]>();
        var recorder = new ProbeTechnique(
            "recorder",
            (e, _) => e is TrainingEvent.AfterDataLoader or TrainingEvent.BatchEnd,
            (e, s) =>
            {
                if (e == TrainingEvent.AfterDataLoader)
                {
                    batches.Add(new Batch(s.Epoch, s.BatchInEpoch, s.Inputs!.data<float>().ToArray(), s.Targets!.data<long>().ToArray()));
                }
                else
                {
                    orders[s.Epoch] = s.EpochIndices!.data<long>().ToArray();
                }
            });

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(budget, techniques: [prefetch, .. more, recorder]), null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(outcome.Status == TrialStatus.NotReached, $"{outcome.Status} {outcome.FailureReason}");
        return (batches, orders, outcome, before, after);
    }

    /// <summary>The batch the synchronous loader gives for the same rows.</summary>
    private (float[] Inputs, long[] Targets) Synchronous(long[] order, int index)
    {
        using var scope = NewDisposeScope();
        int size = digits.Suite.Baseline.BatchSize;
        Tensor rows = tensor(order[(index * size)..Math.Min((index + 1) * size, order.Length)]);
        return (digits.Data.Train.Gather(rows).data<float>().ToArray(), digits.Data.Train.Labels.index_select(0, rows).data<long>().ToArray());
    }

    [Fact]
    public void Run_TwoEpochs_DeliversExactlyTheSynchronousBatchesGatheredOnTheWorkerThread()
    {
        var prefetch = new PrefetchTechnique(2);

        (List<Batch> batches, Dictionary<int, long[]> orders, TrainingOutcome outcome, long before, long after) = Run(prefetch, CoreBudget.Epochs(2));

        long perEpoch = (digits.Data.Train.Count + digits.Suite.Baseline.BatchSize - 1) / digits.Suite.Baseline.BatchSize;
        Assert.Equal(2 * perEpoch, batches.Count);
        foreach (Batch batch in batches)
        {
            (float[] inputs, long[] targets) = Synchronous(orders[batch.Epoch], batch.Index);
            Assert.Equal(inputs, batch.Inputs);
            Assert.Equal(targets, batch.Targets);
        }

        Assert.Equal(2, prefetch.SynchronousBatches); // each epoch's first
        Assert.Equal((2 * perEpoch) - 2, prefetch.PrefetchedBatches);
        Assert.Contains(prefetch.GatheringThreads, id => id != Environment.CurrentManagedThreadId);
        Assert.Contains("EpochStart:prefetch x3", outcome.Trace); // the engine starts a third epoch before it sees the budget is spent
        Assert.Contains("FitEnd:prefetch x1", outcome.Trace);
        Assert.Equal(before, after); // the worker disposed what it made, the trainer its aliases
    }

    [Fact]
    public void Run_OrderChangedMidEpoch_DetectsTheMismatchAndFallsBackToTheRowsAskedFor()
    {
        var prefetch = new PrefetchTechnique(2);
        int size = digits.Suite.Baseline.BatchSize;
        // After the third batch is loaded, reverse the rest of the epoch's order in place: the batches the worker
        // prepared from the old order no longer match what the engine asks for.
        var shuffler = new ProbeTechnique("shuffler", (e, s) => e == TrainingEvent.AfterDataLoader && s.BatchInEpoch == 2, (_, s) =>
        {
            Tensor rest = s.EpochIndices!.narrow(0, 3 * size, s.EpochIndices.shape[0] - (3 * size));
            rest.copy_(rest.flip(0));
        });

        (List<Batch> batches, Dictionary<int, long[]> orders, _, long before, long after) = Run(prefetch, CoreBudget.Steps(10), shuffler);

        Assert.Equal(10, batches.Count);
        foreach (Batch batch in batches)
        {
            (float[] inputs, long[] targets) = Synchronous(orders[0], batch.Index);
            Assert.Equal(inputs, batch.Inputs);
            Assert.Equal(targets, batch.Targets);
        }

        Assert.Equal(2, prefetch.PrefetchedBatches); // batches 1 and 2 came from the worker
        Assert.Equal(8, prefetch.SynchronousBatches); // the first, then everything from the mismatch on
        Assert.Equal(before, after);
    }

    [Fact]
    public void Run_AfterFitEnd_PutsThePreviousLoaderBack()
    {
        Func<Tensor, (Tensor, Tensor)>? atFitStart = null, atFitEnd = null, during = null;
        var prefetch = new PrefetchTechnique(1);
        // Listed before prefetch: sees FitEnd after prefetch restored the loader (reverse order).
        var observer = new ProbeTechnique(
            "observer",
            (e, _) => e is TrainingEvent.FitStart or TrainingEvent.FitEnd or TrainingEvent.BatchEnd,
            (e, s) =>
            {
                switch (e)
                {
                    case TrainingEvent.FitStart:
                        atFitStart = s.BatchLoader;
                        break;
                    case TrainingEvent.FitEnd:
                        atFitEnd = s.BatchLoader;
                        break;
                    default:
                        during = s.BatchLoader;
                        break;
                }
            });

        BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(3), techniques: [observer, prefetch]), null, CancellationToken.None);

        Assert.NotNull(atFitStart);
        Assert.NotSame(atFitStart, during);
        Assert.Same(atFitStart, atFitEnd);
    }
}
