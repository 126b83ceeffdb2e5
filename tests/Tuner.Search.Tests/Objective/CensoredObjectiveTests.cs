using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Search.Objective;
using Tuner.Search.Space;
using Tuner.Search.Tuners;

namespace Tuner.Search.Tests.Objective;

public sealed class CensoredObjectiveTests
{
    private static readonly Candidate Config = new([], new TrainingConfiguration());

    [Fact]
    public void Score_LossTarget_ReachedFirstThenTheMissesByHowCloseTheyCame()
    {
        var objective = new CensoredObjective(10, 0.3, lowerIsBetter: true);

        double reached = objective.Score(Result(TrialStatus.Reached, 4.0, 0.29));
        double close = objective.Score(Result(TrialStatus.NotReached, null, 0.33));
        double far = objective.Score(Result(TrialStatus.NotReached, null, 0.9));
        double never = objective.Score(Result(TrialStatus.NotReached, null, null));
        double broken = objective.Score(Result(TrialStatus.Diverged, null, double.NaN));

        Assert.Equal(0.4, reached, 12);
        Assert.Equal(1 + ((0.33 - 0.3) / 0.33), close, 12);
        Assert.True(reached < close && close < far && far < never && never < broken, $"{reached} {close} {far} {never} {broken}");
        Assert.Equal(2.0, never);
    }

    [Fact]
    public void Score_AccuracyTarget_IsUnchanged()
    {
        var objective = new CensoredObjective(10, 0.9);

        Assert.Equal(1 + ((0.9 - 0.6) / 0.9), objective.Score(Result(TrialStatus.NotReached, null, 0.6)), 12);
        Assert.False(objective.LowerIsBetter);
    }

    [Fact]
    public void TargetSpec_Loss_IsReachedFromAboveAndSaysSo()
    {
        var loss = new TargetSpec(TargetMetrics.Loss, 0.3);
        var accuracy = new TargetSpec(TargetMetrics.Accuracy, 0.9);

        Assert.True(loss.LowerIsBetter);
        Assert.True(loss.IsReachedBy(0.3) && loss.IsReachedBy(0.1) && !loss.IsReachedBy(0.31));
        Assert.Equal("loss <= 0.3", loss.ToString());
        Assert.Equal("accuracy >= 0.9", accuracy.ToString());
        Assert.False(loss.Unreachable.IsReachedBy(0) || accuracy.Unreachable.IsReachedBy(1));
        Assert.Equal(0.2, loss.Best(0.4, 0.2));
        Assert.Equal(0.4, accuracy.Best(0.4, 0.2));
        Assert.Equal(0.2, loss.Best(null, 0.2));
        Assert.True(TargetMetrics.LowerIsBetter("validation loss"));
        Assert.False(TargetMetrics.LowerIsBetter("validation accuracy"));
        Assert.Null(TargetMetrics.Check("loss", 2.5));
        Assert.NotNull(TargetMetrics.Check("loss", 0));
        Assert.NotNull(TargetMetrics.Check("accuracy", 1.5));
    }

    private static TrialResult Result(TrialStatus status, double? seconds, double? best) =>
        new(1, new Proposal(Config), status, seconds, best, seconds ?? 10, []);
}
