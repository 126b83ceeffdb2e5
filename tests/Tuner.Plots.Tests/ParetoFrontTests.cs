namespace Tuner.Plots.Tests;

public sealed class ParetoFrontTests
{
    private static ParetoPoint P(string label, double seconds, double metric, bool reached = true) => new(label, seconds, metric, reached);

    private static string[] Labels(IEnumerable<ParetoPoint> points) => points.Select(p => p.Label).ToArray();

    [Fact]
    public void Compute_DominatedPoints_AreLeftOut()
    {
        ParetoPoint[] points = [P("fast", 10, 0.80), P("slow-good", 20, 0.90), P("slower-worse", 15, 0.70), P("slowest", 25, 0.85)];

        Assert.Equal(["fast", "slow-good"], Labels(ParetoFront.Compute(points)));
    }

    [Fact]
    public void Compute_UnsortedInput_IsSortedBySeconds()
    {
        ParetoPoint[] points = [P("c", 30, 0.9), P("a", 10, 0.7), P("b", 20, 0.8)];

        Assert.Equal(["a", "b", "c"], Labels(ParetoFront.Compute(points)));
    }

    [Fact]
    public void Compute_SameSecondsDifferentMetric_KeepsTheBetterOnly()
    {
        ParetoPoint[] points = [P("worse", 10, 0.8), P("better", 10, 0.9)];

        Assert.Equal(["better"], Labels(ParetoFront.Compute(points)));
    }

    [Fact]
    public void Compute_SameMetricDifferentSeconds_KeepsTheFasterOnly()
    {
        ParetoPoint[] points = [P("slower", 12, 0.9), P("faster", 10, 0.9)];

        Assert.Equal(["faster"], Labels(ParetoFront.Compute(points)));
    }

    [Fact]
    public void Compute_ExactTies_KeepsAllInInputOrder()
    {
        ParetoPoint[] points = [P("first", 10, 0.9), P("dominated", 11, 0.85), P("second", 10, 0.9), P("best", 20, 0.95)];

        Assert.Equal(["first", "second", "best"], Labels(ParetoFront.Compute(points)));
    }

    [Fact]
    public void Compute_NonFiniteCoordinates_AreLeftOut()
    {
        ParetoPoint[] points = [P("nan", 5, double.NaN), P("inf", double.PositiveInfinity, 0.99), P("ok", 10, 0.8), P("neg-inf", double.NegativeInfinity, 0.5)];

        Assert.Equal(["ok"], Labels(ParetoFront.Compute(points)));
    }

    [Fact]
    public void Compute_Empty_IsEmpty() => Assert.Empty(ParetoFront.Compute([]));

    [Fact]
    public void Compute_ReachedFlag_DoesNotMatter()
    {
        ParetoPoint[] points = [P("not-reached", 10, 0.8, reached: false), P("reached", 20, 0.9)];

        Assert.Equal(["not-reached", "reached"], Labels(ParetoFront.Compute(points)));
    }

    [Fact]
    public void Compute_RandomPoints_MatchesTheDefinition()
    {
        var random = new Random(42);
        for (int round = 0; round < 50; round++)
        {
            // Coarse grid values so ties in time, in metric and in both are common.
            ParetoPoint[] points = Enumerable.Range(0, random.Next(0, 40))
                .Select(i => P(i.ToString(System.Globalization.CultureInfo.InvariantCulture), random.Next(1, 12), random.Next(0, 10) / 10.0))
                .ToArray();
            static bool Dominates(ParetoPoint a, ParetoPoint b) =>
                a.Seconds <= b.Seconds && a.Metric >= b.Metric && (a.Seconds < b.Seconds || a.Metric > b.Metric);
            ParetoPoint[] expected = points.Where(p => !points.Any(q => Dominates(q, p))).OrderBy(p => p.Seconds).ToArray();

            IReadOnlyList<ParetoPoint> front = ParetoFront.Compute(points);

            Assert.Equal(Labels(expected), Labels(front));
        }
    }
    [Fact]
    public void Compute_LossTarget_KeepsTheTrialsNoneIsBothFasterAndLower()
    {
        ParetoPoint[] points = [new("a", 1, 0.9, false), new("b", 2, 0.5, false), new("c", 3, 0.6, false), new("d", 4, 0.3, true)];

        Assert.Equal(["a", "b", "d"], ParetoFront.Compute(points, lowerIsBetter: true).Select(p => p.Label));
        Assert.Equal(["a"], ParetoFront.Compute(points).Select(p => p.Label)); // as accuracies, a is fastest and best
    }

}
