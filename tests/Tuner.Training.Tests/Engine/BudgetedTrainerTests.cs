using TorchSharp;
using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Training.Tests.Engine;

public sealed class BudgetedTrainerTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Run_DigitsBaseline_ReachesTargetAndStopsAtFirstEvaluationAboveIt()
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Seconds(30)), null, CancellationToken.None);

        Assert.Equal(TrialStatus.Reached, outcome.Status);
        Assert.Equal(outcome.Steps, outcome.StepsToTarget);
        Assert.True(outcome.Curve[^1].Metric >= 0.97);
        Assert.All(outcome.Curve.SkipLast(1), p => Assert.True(p.Metric < 0.97, "the run must stop at the first evaluation that reaches the target"));
        Assert.NotNull(outcome.TimeToTargetSeconds);
        Assert.True(outcome.TimeToTargetSeconds <= outcome.TrainSeconds);
    }

    [Fact]
    public void Run_SameSeedOnOneThread_ReproducesStepsToTargetAndCurve()
    {
        TrainingOutcome first = BudgetedTrainer.Run(digits.Request(Budget.Seconds(30), seed: 7), null, CancellationToken.None);
        TrainingOutcome second = BudgetedTrainer.Run(digits.Request(Budget.Seconds(30), seed: 7), null, CancellationToken.None);
        TrainingOutcome other = BudgetedTrainer.Run(digits.Request(Budget.Steps(60), seed: 8, target: 1.0), null, CancellationToken.None);

        Assert.Equal(first.StepsToTarget, second.StepsToTarget);
        Assert.Equal(first.Curve.Select(p => (p.Step, p.Metric, p.TrainLoss)), second.Curve.Select(p => (p.Step, p.Metric, p.TrainLoss)));
        Assert.NotEqual(first.Curve.Take(3).Select(p => p.TrainLoss), other.Curve.Take(3).Select(p => p.TrainLoss));
    }

    [Fact]
    public void Run_StepBudget_StopsExactlyAtBudgetAndEvaluatesAtTheEnd()
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Steps(17), target: 1.0), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(17, outcome.Steps);
        Assert.Null(outcome.TimeToTargetSeconds);
        Assert.Equal(17, outcome.Curve[^1].Step);
        Assert.Equal([10L, 17L], outcome.Curve.Select(p => p.Step));
    }

    [Fact]
    public void Run_StopAtFraction_StopsThereAsPrunedAndIsAPrefixOfTheFullRun()
    {
        TrainingOutcome full = BudgetedTrainer.Run(digits.Request(Budget.Steps(40), target: 1.0), null, CancellationToken.None);
        TrainingOutcome part = BudgetedTrainer.Run(digits.Request(Budget.Steps(40), target: 1.0) with { StopAtFraction = 0.5 }, null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, full.Status);
        Assert.Equal(TrialStatus.Pruned, part.Status);
        Assert.Equal(20, part.Steps);
        Assert.Equal(full.Curve.Take(2).Select(p => (p.Step, p.Metric)), part.Curve.Select(p => (p.Step, p.Metric)));
    }

    [Fact]
    public void Run_ShouldStopSaysYes_StopsAtThatEvaluationAsPruned()
    {
        var seen = new List<int>();
        TrainingOutcome outcome = BudgetedTrainer.Run(
            digits.Request(Budget.Steps(60), target: 1.0) with { ShouldStop = curve => { seen.Add(curve.Count); return curve.Count == 2; } },
            null,
            CancellationToken.None);

        Assert.Equal(TrialStatus.Pruned, outcome.Status);
        Assert.Equal(20, outcome.Steps);
        Assert.Equal([1, 2], seen);
    }

    [Fact]
    public void Run_EpochAndSampleBudgets_CountSamplesOfTheTrainSplit()
    {
        long n = digits.Data.Train.Count;
        TrainingOutcome epoch = BudgetedTrainer.Run(digits.Request(Budget.Epochs(1), target: 1.0), null, CancellationToken.None);
        TrainingOutcome samples = BudgetedTrainer.Run(digits.Request(Budget.Samples(100), target: 1.0), null, CancellationToken.None);

        Assert.Equal(n, epoch.Samples);
        Assert.Equal(1.0, epoch.Epochs, 6);
        Assert.Equal(128, samples.Samples); // checked before every batch: 4 batches of 32 cross 100
        Assert.Equal(4, samples.Steps);
    }

    [Fact]
    public void Run_WallClockBudget_IsCheckedEveryBatch_AndEvaluationIsNotCharged()
    {
        var time = new ManualTimeProvider();
        var clockDriver = new RecordingTechnique(
            "clock",
            (e, _) => e is TrainingEvent.BatchEnd or TrainingEvent.EvalStart,
            (e, _) => time.Advance(e == TrainingEvent.BatchEnd ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(100)));
        TrainingRequest request = digits.Request(Budget.Seconds(10.5), target: 1.0, techniques: clockDriver) with { Time = time };

        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);

        Assert.Equal(11, outcome.Steps); // 10 s charged < 10.5 s lets an 11th batch start; an epoch-level check would run 45
        Assert.Equal(11.0, outcome.TrainSeconds, 6);
        Assert.Equal(2, outcome.Curve.Count); // at step 10 and at the end
        Assert.Equal(200.0, outcome.EvalSeconds, 6);
        Assert.Equal(10.0, outcome.Curve[0].TrainSeconds, 6);
    }

    [Fact]
    public void Run_NonFiniteLoss_EndsAsDiverged()
    {
        var poison = new PoisonedLoss(atStep: 5);

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Steps(100), techniques: poison), null, CancellationToken.None);

        Assert.Equal(TrialStatus.Diverged, outcome.Status);
        Assert.Equal(5, outcome.Steps);
        Assert.Contains("non-finite", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TechniqueThrows_EndsAsFailedWithReason()
    {
        var broken = new RecordingTechnique("broken", (e, s) => e == TrainingEvent.BeforeForward && s.Step == 3, (_, _) => throw new InvalidOperationException("boom at step 3"));

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Steps(100), techniques: broken), null, CancellationToken.None);

        Assert.Equal(TrialStatus.Failed, outcome.Status);
        Assert.Equal("InvalidOperationException: boom at step 3", outcome.FailureReason);
    }

    [Fact]
    public void Run_ManyBatches_LiveTensorCountDoesNotGrow()
    {
        var counts = new Dictionary<long, long>();
        var probe = new RecordingTechnique(
            "probe",
            (e, s) => e == TrainingEvent.EpochStart && s.Step > 0,
            (_, s) => counts[s.Step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        // 400 steps = 9 epochs of 45 batches: the count at each epoch start must be the same.
        BudgetedTrainer.Run(digits.Request(Budget.Steps(400), target: 1.0, techniques: probe), null, CancellationToken.None);

        long[] values = [.. counts.OrderBy(kv => kv.Key).Select(kv => kv.Value)];
        Assert.True(values.Length >= 5);
        Assert.All(values.Skip(1), v => Assert.Equal(values[0], v));
    }

    [Fact]
    public void Run_AfterEvents_RunTechniquesInReverseOrder()
    {
        static bool Pair(TrainingEvent e, TrainingState s) => s.Step == 0 && e is TrainingEvent.BeforeLoss or TrainingEvent.AfterLoss && s.Step == 0;
        var first = new RecordingTechnique("first", Pair);
        var second = new RecordingTechnique("second", Pair);
        var shared = new List<string>();
        var a = new RecordingTechnique("a", Pair, (e, _) => shared.Add($"{e}:a"));
        var b = new RecordingTechnique("b", Pair, (e, _) => shared.Add($"{e}:b"));

        BudgetedTrainer.Run(digits.Request(Budget.Steps(1), target: 1.0, techniques: [a, b]), null, CancellationToken.None);

        Assert.Equal(["BeforeLoss:a", "BeforeLoss:b", "AfterLoss:b", "AfterLoss:a"], shared);
        Assert.Empty(first.Log);
        Assert.Empty(second.Log);
    }

    [Fact]
    public void Run_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => BudgetedTrainer.Run(digits.Request(Budget.Steps(100)), null, cts.Token));
    }

    /// <summary>A loss wrapper that turns the loss into NaN from step <c>atStep</c> on.</summary>
    private sealed class PoisonedLoss(long atStep) : ITechnique, ILossWrapper
    {
        public string Name => "poison";

        public TechniqueCategory Category => TechniqueCategory.System;

        public bool Matches(TrainingEvent trainingEvent, TrainingState state) => false;

        public void Apply(TrainingEvent trainingEvent, TrainingState state)
        {
        }

        public SampleLoss WrapLoss(SampleLoss inner, TrainingState state) =>
            (o, t) => state.Step >= atStep ? inner(o, t).mul(double.NaN) : inner(o, t);
    }
}
