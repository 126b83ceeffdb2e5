using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Training.Engine;

namespace Tuner.Training.Tests.Engine;

/// <summary>
/// Measurement protocol 2 in the engine: the target is checked on validation, the test split is evaluated once at the end
/// and untimed, evaluation follows a grid of samples whatever the batch size, and schedules read the horizon's fraction.
/// </summary>
public sealed class MeasurementProtocolTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Run_ReachingTheTarget_ChecksValidationThenEvaluatesTheTestSplitOnceAtTheEnd()
    {
        var splits = new List<(long Step, bool Test)>();
        var watcher = new RecordingTechnique("watcher", (e, _) => e == TrainingEvent.EvalStart, (_, s) => splits.Add((s.Step, s.EvaluatingTest)));

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Seconds(10), techniques: watcher), null, CancellationToken.None);

        Assert.Equal(TrialStatus.Reached, outcome.Status);
        Assert.Equal(outcome.Curve.Count + 1, splits.Count);
        Assert.All(splits.SkipLast(1), s => Assert.False(s.Test));
        Assert.Equal((outcome.StepsToTarget!.Value, true), splits[^1]); // once, after the validation that reached the target
        Assert.NotNull(outcome.TestMetric);
        Assert.InRange(outcome.TestMetric!.Value, 0.5, 1.0);
        Assert.Equal(digits.Data.Test.Count, outcome.TestRows);
        Assert.Equal(digits.Data.Validation.Count, outcome.ValidationRows);
        Assert.True(outcome.Curve[^1].Metric >= 0.97, "the target is checked on validation");
    }

    [Fact]
    public void Run_TestEvaluation_IsNotCharged()
    {
        // A 300 ms stall inside the test evaluation: charged, it would show in the training seconds of a 60-step run
        // (about 10 ms of training on digits).
        var stall = new RecordingTechnique("stall", (e, s) => e == TrainingEvent.EvalStart && s.EvaluatingTest, (_, _) => Thread.Sleep(300));

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Steps(60), target: 1.01, techniques: stall), null, CancellationToken.None);

        Assert.Single(stall.Log);
        Assert.True(outcome.TrainSeconds < 0.3, $"{outcome.TrainSeconds:0.000} s charged: the test evaluation was charged to the budget");
        Assert.True(outcome.EvalSeconds < 0.3, "the test evaluation is not validation time either");
    }

    [Fact]
    public void Run_TestEvaluation_DoesNotChangeTheRun()
    {
        TrainingRequest request = digits.Request(Budget.Steps(60));

        TrainingOutcome withTest = BudgetedTrainer.Run(request, null, CancellationToken.None);
        TrainingOutcome withoutTest = BudgetedTrainer.Run(request with { Test = null }, null, CancellationToken.None);

        Assert.Null(withoutTest.TestMetric);
        Assert.NotNull(withTest.TestMetric);
        Assert.Equal(withoutTest.Curve.Select(p => (p.Step, p.Metric)), withTest.Curve.Select(p => (p.Step, p.Metric)));
        Assert.Equal(withoutTest.FinalTrainLoss, withTest.FinalTrainLoss);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    public void Run_EvaluationCadenceInSamples_IsTheSameGridForEveryBatchSize(int batch)
    {
        var configuration = digits.Suite.Baseline with { BatchSize = batch, EvalEverySamples = 640 };

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Samples(3200), target: 1.01, configuration: configuration), null, CancellationToken.None);

        // Every validation but the last (the end of the budget) sits at the first step at or past a multiple of 640 samples
        // (epochs end with a short batch, so a step can land a few samples past its grid point, never a batch past it).
        long[] samples = [.. outcome.Curve.Select(p => p.Samples)];
        long[] periodic = [.. samples.SkipLast(1)];
        Assert.Equal(Enumerable.Range(1, periodic.Length).Select(k => (long)k * 640), periodic.Select(s => s / 640 * 640));
        Assert.All(periodic, s => Assert.True(s % 640 < batch, $"validated at {s} samples, more than a batch past its grid point"));
        Assert.Equal(4, periodic.Length); // 640, 1280, 1920, 2560; then the end of the budget, the batch that passes 3,200
        Assert.InRange(samples[^1], 3200, 3200 + batch - 1);
    }

    [Theory]
    [InlineData(1.0, null)]
    [InlineData(0.25, null)]
    [InlineData(1.0, 800L)]
    [InlineData(1.0, 3200L)]
    public void Run_ScheduleFraction_IsTheFractionOfTheHorizonCappedAtOne(double fraction, long? samples)
    {
        var seen = new List<(double Budget, long Samples, double Schedule)>();
        var watcher = new RecordingTechnique("watcher", (e, _) => e == TrainingEvent.BatchEnd, (_, s) => seen.Add((s.BudgetFraction, s.Progress.Samples, s.ScheduleFraction)));
        var configuration = digits.Suite.Baseline with { HorizonFraction = fraction, HorizonSamples = samples };

        BudgetedTrainer.Run(digits.Request(Budget.Samples(6400), target: 1.01, configuration: configuration, techniques: watcher), null, CancellationToken.None);

        Assert.NotEmpty(seen);
        foreach ((double budget, long done, double schedule) in seen)
        {
            double expected = Math.Min(1.0, samples is long horizon ? (double)done / horizon : budget / fraction);
            Assert.Equal(expected, schedule, 12);
        }

        Assert.Equal(fraction == 1.0 && samples is null or 6400, seen.All(s => s.Schedule == s.Budget || s.Budget > 1));
        Assert.Equal(fraction < 1.0 || samples < 6400, seen.Any(s => s.Schedule == 1.0 && s.Budget < 0.99)); // a short horizon ends early and holds
    }

    [Fact]
    public void Run_Throughput_IsTheMedianOfManyShortWindowsAndDecomposesTimeToTarget()
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Steps(3000), target: 1.01), null, CancellationToken.None);

        Assert.True(outcome.ThroughputWindows >= 3, $"{outcome.ThroughputWindows} windows in {outcome.TrainSeconds:0.00} s");
        Assert.True(outcome.ThroughputWindows <= outcome.TrainSeconds / BudgetedTrainer.ThroughputWindowSeconds, "each window holds at least 25 ms");
        double steady = outcome.Throughput!.Value;
        Assert.InRange(steady / outcome.SamplesPerSecond, 0.5, 2.0); // the same work, timed in windows instead of as a whole
    }

    [Fact]
    public void Run_TooShortForThreeWindows_HasNoSteadyThroughput()
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Steps(3), target: 1.01), null, CancellationToken.None);

        Assert.Null(outcome.Throughput);
        Assert.Equal(0, outcome.ThroughputWindows);
    }

    [Fact]
    public void Run_WithReferenceProbe_PairsEveryWindowOutsideTheChargedTimeWithoutMovingTheRandomStream()
    {
        TrainingOutcome plain = BudgetedTrainer.Run(digits.Request(Budget.Steps(2000), target: 1.01), null, CancellationToken.None);
        int calls = 0;
        double Probe()
        {
            calls++;
            Thread.Sleep(20); // a slow reference measurement: none of it may be charged
            return 0.002;
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        TrainingOutcome paired = BudgetedTrainer.Run(digits.Request(Budget.Steps(2000), target: 1.01) with { ReferenceProbe = Probe }, null, CancellationToken.None);
        double wall = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;

        Assert.Equal(plain.Steps, paired.Steps);
        Assert.Equal(plain.FinalMetric, paired.FinalMetric); // the same random stream: the probe draws nothing
        Assert.Equal(paired.ThroughputWindows + 1, calls); // one at every boundary, the discarded first window's end included
        Assert.True(paired.TrainSeconds < wall - (0.9 * calls * 0.020), $"charged {paired.TrainSeconds:0.000} s of {wall:0.000} s wall with {calls} probes of 20 ms");
        Assert.NotNull(paired.PairedThroughput);
        Assert.InRange(paired.PairedThroughput!.Value / paired.Throughput!.Value, 0.0018, 0.0022); // each window's samples/s x the reference's 2 ms
        Assert.Equal(0.002, paired.ReferenceStepSeconds!.Value, 12);
        Assert.Null(plain.PairedThroughput);
        Assert.Null(plain.ReferenceStepSeconds);
    }

    [Fact]
    public void Run_LossTarget_IsReachedWhenTheValidationLossFallsToItAndTheBestIsTheLowest()
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Seconds(10)) with { Target = new Core.Trials.TargetSpec(Core.Trials.TargetMetrics.Loss, 0.25) }, null, CancellationToken.None);

        Assert.Equal(TrialStatus.Reached, outcome.Status);
        Assert.All(outcome.Curve, p => Assert.Equal(p.EvalLoss, p.Metric)); // the metric is the validation loss
        Assert.True(outcome.Curve[^1].Metric <= 0.25, $"last loss {outcome.Curve[^1].Metric}");
        Assert.All(outcome.Curve.SkipLast(1), p => Assert.True(p.Metric > 0.25)); // it stopped at the first evaluation at or below the target
        Assert.Equal(outcome.Curve.Min(p => p.Metric), outcome.BestMetric);
        Assert.Equal(outcome.TestLoss, outcome.TestMetric); // the test split reports the same metric
    }
}
