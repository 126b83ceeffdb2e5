using Tuner.Techniques.Data.SelectiveBackprop;

namespace Tuner.Techniques.Tests.Data.SelectiveBackprop;

public sealed class SelectiveBackpropMathTests
{
    [Theory]
    [InlineData(0.5f, 0.75)]
    [InlineData(0.05f, 0.0)]
    [InlineData(0.8f, 1.0)]
    [InlineData(0.2f, 0.5)]
    public void Percentile_OfALossAmongTheHistory_IsTheFractionAtOrBelowIt(float loss, double expected)
    {
        float[] history = [0.1f, 0.2f, 0.4f, 0.8f];

        double percentile = SelectiveBackpropMath.Percentile(history, loss);

        Assert.Equal(expected, percentile, 12);
    }

    [Theory]
    [InlineData(1.0, 0.5)]
    [InlineData(2.0, 1.0 / 3)]
    [InlineData(3.0, 0.25)]
    [InlineData(0.0, 1.0)]
    public void ExpectedFraction_UniformPercentiles_IsOneOverBetaPlusOne_AsMeasured(double beta, double expected)
    {
        var random = new Random(3);
        float[] history = [.. Enumerable.Range(0, 1000).Select(i => (float)i)];
        float[] losses = [.. Enumerable.Range(0, 20_000).Select(_ => (float)(random.NextDouble() * 1000))];
        double[] draws = [.. losses.Select(_ => random.NextDouble())];

        int kept = SelectiveBackpropMath.Select(losses, history, beta, draws).Length;

        Assert.Equal(expected, SelectiveBackpropMath.ExpectedFraction(beta), 12);
        Assert.Equal(expected, kept / (double)losses.Length, 2);
    }

    [Fact]
    public void Select_HigherLoss_IsKeptMoreOften()
    {
        float[] history = [.. Enumerable.Range(0, 100).Select(i => (float)i)];
        var random = new Random(5);
        int low = 0, high = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            int[] kept = SelectiveBackpropMath.Select([10f, 90f], history, 1, [random.NextDouble(), random.NextDouble()]);
            low += kept.Contains(0) ? 1 : 0;
            high += kept.Contains(1) ? 1 : 0;
        }

        Assert.InRange(low / 2000.0, 0.07, 0.15); // percentile 0.11
        Assert.InRange(high / 2000.0, 0.97, 1.0); // percentile 0.91, and kept whenever neither is drawn (0.09 x 0.89)
    }

    [Fact]
    public void Select_NothingDrawn_KeepsTheHighestLossSoTheBatchStillSteps()
    {
        int[] kept = SelectiveBackpropMath.Select([0.3f, 2.5f, 1.0f], [100f], 1, [0.99, 0.99, 0.99]);

        Assert.Equal([1], kept);
    }
}
