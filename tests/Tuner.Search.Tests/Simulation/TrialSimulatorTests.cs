using Tuner.Core.Trials;
using Tuner.Search.Pruners;
using Tuner.Search.Simulation;
using Tuner.Search.Tuners;

namespace Tuner.Search.Tests.Simulation;

public sealed class TrialSimulatorTests
{
    private const double Budget = SyntheticTruth.BudgetSeconds;

    private static readonly Proposal Full = new(SyntheticTruth.Candidate(0.05));

    private static TrialRecord ReachedAt(double seconds, params (double Seconds, double Metric)[] curve) =>
        SyntheticTruth.Record(Full.Candidate.Configuration, TrialStatus.Reached, seconds, seconds + 0.01, curve);

    private static TrialRecord Missed(params (double Seconds, double Metric)[] curve) =>
        SyntheticTruth.Record(Full.Candidate.Configuration, TrialStatus.NotReached, null, 20.05, curve);

    private static TrialResult Finished(int number, TrialStatus status, double? timeToTarget, params (double Seconds, double Metric)[] curve) =>
        new(number, Full, status, timeToTarget, curve.Max(p => p.Metric), curve[^1].Seconds, [.. curve.Select(p => new EvaluationPoint((long)(p.Seconds * 100), 0, p.Seconds, p.Metric, 0, 0))]);

    [Fact]
    public void Run_ReachedBeforeStop_ExactTimeToTargetAndMeasuredCost()
    {
        TrialRecord truth = ReachedAt(6, (2, 0.5), (4, 0.7), (6, 0.9));

        TrialResult result = TrialSimulator.Run(3, Full, truth, stopAt: 0.5, Budget, pruner: null, finished: []);

        Assert.Equal(3, result.Number);
        Assert.Equal(TrialStatus.Reached, result.Status);
        Assert.Equal(6.0, result.TimeToTargetSeconds);
        Assert.Equal(6.01, result.CostSeconds);
        Assert.Equal(0.9, result.BestMetric);
        Assert.Equal(3, result.Curve.Count);
    }

    [Fact]
    public void Run_ReachedExactlyAtTheStop_Reached()
    {
        TrialRecord truth = ReachedAt(6, (2, 0.5), (4, 0.7), (6, 0.9));

        TrialResult result = TrialSimulator.Run(0, Full, truth, stopAt: 6 / Budget, Budget, pruner: null, finished: []);

        Assert.Equal(TrialStatus.Reached, result.Status);
        Assert.Equal(6.0, result.TimeToTargetSeconds);
    }

    [Fact]
    public void StopFraction_NoTrialReached_IsTheFidelityAtMostOne()
    {
        TrialResult missed = Finished(0, TrialStatus.NotReached, null, (20, 0.5));

        Assert.Equal(1.0 / 3, TrialSimulator.StopFraction(1.0 / 3, [missed], 2, Budget));
        Assert.Equal(1.0, TrialSimulator.StopFraction(1.5, [missed], 2, Budget));
    }

    [Fact]
    public void StopFraction_SomeTrialReached_CapsAtFactorTimesTheBest()
    {
        TrialResult[] finished = [Finished(0, TrialStatus.Reached, 5, (5, 0.9)), Finished(1, TrialStatus.Reached, 3, (3, 0.9))];

        Assert.Equal(2 * 3 / Budget, TrialSimulator.StopFraction(1.0, finished, 2, Budget), 12);
        Assert.Equal(1.0 / 9, TrialSimulator.StopFraction(1.0 / 9, finished, 2, Budget));
        Assert.Equal(1.0, TrialSimulator.StopFraction(1.0, finished, 0, Budget));
    }

    [Fact]
    public void Run_CapBeforeTimeToTarget_PrunedAtTheCapWithTheCurveUpToIt()
    {
        TrialRecord truth = ReachedAt(10, (2, 0.3), (4, 0.6), (6, 0.5), (8, 0.8), (10, 0.9));
        double stopAt = TrialSimulator.StopFraction(1.0, [Finished(0, TrialStatus.Reached, 3, (3, 0.9))], 2, Budget);

        TrialResult result = TrialSimulator.Run(1, Full, truth, stopAt, Budget, pruner: null, finished: []);

        Assert.Equal(TrialStatus.Pruned, result.Status);
        Assert.Null(result.TimeToTargetSeconds);
        Assert.Equal(6.0, result.CostSeconds, 12);
        Assert.Equal([2.0, 4.0, 6.0], result.Curve.Select(p => p.TrainSeconds));
        Assert.Equal(0.6, result.BestMetric);
    }

    [Fact]
    public void Run_LowFidelity_PrunedAtTheFidelitySecondsWithTheBestOfTheTruncatedCurve()
    {
        TrialRecord truth = Missed((1, 0.6), (2, 0.55), (3, 0.7), (20, 0.8), (20.05, 0.81));

        TrialResult result = TrialSimulator.Run(0, Full with { Fidelity = 1.0 / 9 }, truth, stopAt: 1.0 / 9, Budget, pruner: null, finished: []);

        Assert.Equal(TrialStatus.Pruned, result.Status);
        Assert.Equal(Budget / 9, result.CostSeconds, 12);
        Assert.Equal(2, result.Curve.Count);
        Assert.Equal(0.6, result.BestMetric);
    }

    [Fact]
    public void Run_StoppedBeforeTheFirstEvaluation_PrunedWithoutMetric()
    {
        TrialRecord truth = Missed((3, 0.6), (20.05, 0.81));

        TrialResult result = TrialSimulator.Run(0, Full, truth, stopAt: 0.1, Budget, pruner: null, finished: []);

        Assert.Equal(TrialStatus.Pruned, result.Status);
        Assert.Equal(2.0, result.CostSeconds, 12);
        Assert.Empty(result.Curve);
        Assert.Null(result.BestMetric);
    }

    [Fact]
    public void Run_MedianPrunerBelowTheFinishedTrials_PrunedAtThatEvaluation()
    {
        TrialResult[] finished = [.. Enumerable.Range(0, 5).Select(i => Finished(i, TrialStatus.NotReached, null, (1, 0.8), (2, 0.85)))];
        TrialRecord truth = Missed((1, 0.3), (2, 0.4), (3, 0.5), (20.05, 0.6));

        TrialResult result = TrialSimulator.Run(5, Full, truth, stopAt: 1.0, Budget, new MedianPruner(), finished);

        Assert.Equal(TrialStatus.Pruned, result.Status);
        Assert.Equal(1.0, result.CostSeconds);
        Assert.Single(result.Curve);
        Assert.Equal(0.3, result.BestMetric);
    }

    [Fact]
    public void Run_PrunerThatAlwaysStops_StopsAReachedRunAtItsFirstEvaluationBeforeTheTarget()
    {
        TrialRecord truth = ReachedAt(6, (2, 0.5), (4, 0.7), (6, 0.9));

        TrialResult result = TrialSimulator.Run(0, Full, truth, stopAt: 1.0, Budget, new CountingPruner(true), finished: []);

        Assert.Equal(TrialStatus.Pruned, result.Status);
        Assert.Equal(2.0, result.CostSeconds);
    }

    [Fact]
    public void Run_TargetAtTheFirstEvaluation_PrunerNotAsked()
    {
        TrialRecord truth = ReachedAt(2, (2, 0.9));
        var pruner = new CountingPruner(true);

        TrialResult result = TrialSimulator.Run(0, Full, truth, stopAt: 1.0, Budget, pruner, finished: []);

        Assert.Equal(TrialStatus.Reached, result.Status);
        Assert.Equal(0, pruner.Calls);
    }

    [Fact]
    public void Run_FullBudgetMissed_KeepsStatusAndCostAndSkipsThePrunerAtTheFinalEvaluation()
    {
        TrialRecord truth = Missed((1, 0.5), (2, 0.6), (20.05, 0.7));
        var pruner = new CountingPruner(false);

        TrialResult result = TrialSimulator.Run(0, Full, truth, stopAt: 1.0, Budget, pruner, finished: []);

        Assert.Equal(TrialStatus.NotReached, result.Status);
        Assert.Equal(20.05, result.CostSeconds);
        Assert.Equal(3, result.Curve.Count);
        Assert.Equal(0.7, result.BestMetric);
        Assert.Equal(2, pruner.Calls); // steps 100 and 200; the end-of-budget evaluation at step 2005 is not periodic
    }

    [Fact]
    public void Run_DivergedBeforeTheStop_KeepsStatusAndCost()
    {
        TrialRecord truth = SyntheticTruth.Record(Full.Candidate.Configuration, TrialStatus.Diverged, null, 3.0, [(1, 0.2), (2, 0.1)]);

        TrialResult result = TrialSimulator.Run(0, Full, truth, stopAt: 0.5, Budget, pruner: null, finished: []);

        Assert.Equal(TrialStatus.Diverged, result.Status);
        Assert.True(result.Broken);
        Assert.Equal(3.0, result.CostSeconds);
    }

    private sealed class CountingPruner(bool answer) : IPruner
    {
        public int Calls { get; private set; }

        public bool ShouldPrune(IReadOnlyList<EvaluationPoint> curve, IReadOnlyList<TrialResult> finished)
        {
            Calls++;
            return answer;
        }
    }
}
