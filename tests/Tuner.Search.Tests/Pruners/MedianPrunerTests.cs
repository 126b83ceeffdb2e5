using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Search.Pruners;
using Tuner.Search.Space;
using Tuner.Search.Tuners;

namespace Tuner.Search.Tests.Pruners;

public sealed class MedianPrunerTests
{
    private static readonly Candidate Config = new([], new TrainingConfiguration());

    // Five finished trials evaluated every 10 s; at 30 s their best metrics are 0.50, 0.55, 0.60, 0.65, 0.70.
    private static readonly List<TrialResult> Finished = [.. Enumerable.Range(0, 5).Select(i => Trial(i, 0.05 * i))];

    [Fact]
    public void ShouldPrune_ClearlyWorseCurve_True()
    {
        var pruner = new MedianPruner();

        Assert.True(pruner.ShouldPrune(Curve((10, 0.2), (20, 0.3), (30, 0.35)), Finished));
    }

    [Fact]
    public void ShouldPrune_BetterCurve_False()
    {
        var pruner = new MedianPruner();

        Assert.False(pruner.ShouldPrune(Curve((10, 0.5), (20, 0.6), (30, 0.68)), Finished));
    }

    [Fact]
    public void ShouldPrune_EqualToTheMedian_False()
    {
        var pruner = new MedianPruner();

        Assert.False(pruner.ShouldPrune(Curve((10, 0.4), (20, 0.5), (30, 0.6)), Finished));
    }

    [Fact]
    public void ShouldPrune_BestSoFarCounts_NotTheLatestValue()
    {
        var pruner = new MedianPruner();

        // 0.62 at 20 s stays the best at 30 s even though the latest evaluation dropped.
        Assert.False(pruner.ShouldPrune(Curve((10, 0.4), (20, 0.62), (30, 0.3)), Finished));
    }

    [Fact]
    public void ShouldPrune_ComparesAtTheSameTrainingTime()
    {
        var pruner = new MedianPruner();

        // At 10 s the finished trials had 0.30..0.50 (median 0.40): 0.42 is fine, though far below their final values.
        Assert.False(pruner.ShouldPrune(Curve((10, 0.42)), Finished));
        Assert.True(pruner.ShouldPrune(Curve((10, 0.38)), Finished));
    }

    [Fact]
    public void ShouldPrune_BetweenEvaluations_UsesTheLastEvaluationAtOrBeforeThatTime()
    {
        var pruner = new MedianPruner();

        // At 25 s the finished trials' last evaluation is the one at 20 s: 0.45..0.65, median 0.55.
        Assert.False(pruner.ShouldPrune(Curve((25, 0.56)), Finished));
        Assert.True(pruner.ShouldPrune(Curve((25, 0.54)), Finished));
    }

    [Fact]
    public void ShouldPrune_FewerThanStartupTrials_False()
    {
        var pruner = new MedianPruner(startupTrials: 5);

        Assert.False(pruner.ShouldPrune(Curve((10, 0.0), (20, 0.0), (30, 0.0)), Finished.Take(4).ToList()));
        Assert.False(pruner.ShouldPrune(Curve((10, 0.0)), []));
    }

    [Fact]
    public void ShouldPrune_FinishedTrialsWithoutAnEvaluationByThen_DoNotCount()
    {
        var pruner = new MedianPruner(startupTrials: 5);
        List<TrialResult> late = [.. Enumerable.Range(0, 5).Select(i => Trial(i, 0.05 * i, firstSeconds: 50))];

        Assert.False(pruner.ShouldPrune(Curve((10, 0.0), (20, 0.0), (30, 0.0)), late));
    }

    [Fact]
    public void ShouldPrune_BrokenFinishedTrials_DoNotCount()
    {
        var pruner = new MedianPruner(startupTrials: 5);
        List<TrialResult> finished = [.. Finished.Take(4), Trial(4, 0.2) with { Status = TrialStatus.Diverged }];

        Assert.False(pruner.ShouldPrune(Curve((10, 0.0), (20, 0.0), (30, 0.0)), finished));
    }

    [Fact]
    public void ShouldPrune_BeforeTheWarmUp_False()
    {
        var bySeconds = new MedianPruner(warmupSeconds: 25);
        var byEvaluations = new MedianPruner(warmupEvaluations: 3);
        IReadOnlyList<EvaluationPoint> early = Curve((10, 0.0), (20, 0.0));
        IReadOnlyList<EvaluationPoint> later = Curve((10, 0.0), (20, 0.0), (30, 0.0));

        Assert.False(bySeconds.ShouldPrune(early, Finished));
        Assert.False(byEvaluations.ShouldPrune(early, Finished));
        Assert.True(bySeconds.ShouldPrune(later, Finished));
        Assert.True(byEvaluations.ShouldPrune(later, Finished));
    }

    [Fact]
    public void ShouldPrune_EmptyCurve_False()
    {
        Assert.False(new MedianPruner().ShouldPrune([], Finished));
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(5, -1, 1)]
    [InlineData(5, double.PositiveInfinity, 1)]
    [InlineData(5, 0, 0)]
    public void Constructor_InvalidArguments_Throws(int startupTrials, double warmupSeconds, int warmupEvaluations)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianPruner(startupTrials, warmupSeconds, warmupEvaluations));
    }

    [Fact]
    public void ShouldPrune_LossTarget_PrunesTheCurveAboveTheMedianLossAndKeepsTheOneBelow()
    {
        // The same five trials as losses (1 - metric): at 30 s their best (lowest) losses are 0.50, 0.45, 0.40, 0.35, 0.30.
        List<TrialResult> losses = [.. Finished.Select(t => t with { Curve = [.. t.Curve.Select(p => p with { Metric = 1 - p.Metric })], BestMetric = 1 - t.BestMetric })];
        var pruner = new MedianPruner(lowerIsBetter: true);

        Assert.True(pruner.ShouldPrune(Curve((10, 0.8), (20, 0.7), (30, 0.65)), losses));
        Assert.False(pruner.ShouldPrune(Curve((10, 0.5), (20, 0.4), (30, 0.32)), losses));
        Assert.False(new MedianPruner().ShouldPrune(Curve((10, 0.8), (20, 0.7), (30, 0.65)), Finished)); // as accuracies, those are good
    }

    /// <summary>A finished trial evaluated every 10 s from <paramref name="firstSeconds"/>: metric 0.3, 0.45, 0.5, ... plus <paramref name="offset"/>.</summary>
    private static TrialResult Trial(int number, double offset, double firstSeconds = 10)
    {
        double[] metrics = [0.3, 0.45, 0.5, 0.55, 0.6];
        IReadOnlyList<EvaluationPoint> curve = [.. metrics.Select((m, i) => Point(firstSeconds + (10 * i), m + offset))];
        return new TrialResult(number, new Proposal(Config), TrialStatus.NotReached, null, curve.Max(p => p.Metric), 50, curve);
    }

    private static List<EvaluationPoint> Curve(params (double Seconds, double Metric)[] points) =>
        [.. points.Select(p => Point(p.Seconds, p.Metric))];

    private static EvaluationPoint Point(double seconds, double metric) => new((long)seconds, (long)seconds * 10, seconds, metric, 1 - metric, 1 - metric);
}
