using System.Diagnostics;
using Tuner.Search.Tuners.Smac;

namespace Tuner.Search.Tests.Tuners.Smac;

public sealed class RandomForestSurrogateTests
{
    private static double Truth(IReadOnlyList<double> x) => (2 * x[0]) + (x[1] > 0.5 ? 1 : 0) - (x[1] > 0.5 && x[2] > 0.5 ? 0.5 : 0);

    private static List<IReadOnlyList<double>> Rows(int count, int seed, int features = 3)
    {
        var random = new System.Random(seed);
        var rows = new List<IReadOnlyList<double>>();
        for (int i = 0; i < count; i++)
        {
            rows.Add([.. Enumerable.Range(0, features).Select(_ => random.NextDouble())]);
        }

        return rows;
    }

    [Fact]
    public void Predict_KnownFunction_MeanIsClose()
    {
        List<IReadOnlyList<double>> x = Rows(200, 1);
        RandomForestSurrogate forest = RandomForestSurrogate.Fit(x, [.. x.Select(Truth)], seed: 3);
        Assert.False(forest.IsConstant);
        Assert.Equal(3, forest.FeatureCount);
        Assert.Equal(200, forest.RowCount);
        List<IReadOnlyList<double>> test = Rows(100, 2);
        double meanError = test.Average(q => Math.Abs(forest.Predict(q).Mean - Truth(q)));
        Assert.True(meanError < 0.15, $"mean absolute error {meanError:F3} (labels span 0..3)");
    }

    [Fact]
    public void Predict_AwayFromData_HasMoreSpreadThanAtData()
    {
        List<IReadOnlyList<double>> x = Rows(30, 4);
        RandomForestSurrogate forest = RandomForestSurrogate.Fit(x, [.. x.Select(Truth)], seed: 5);
        List<IReadOnlyList<double>> away = Rows(50, 12);
        double[] awaySpread = [.. away.Select(q => forest.Predict(q).Std)];
        double atData = x.Average(q => forest.Predict(q).Std);
        Assert.True(awaySpread.Count(s => s > 0) >= 45, $"{awaySpread.Count(s => s > 0)} of 50 points away from the data have spread");
        Assert.True(awaySpread.Average() > 1.2 * atData, $"spread away {awaySpread.Average():F4}, at the data {atData:F4}");
        IReadOnlyList<double> trees = forest.PredictTrees(away[0]);
        Assert.Equal(forest.TreeCount, trees.Count);
        Assert.Equal(forest.Predict(away[0]).Mean, trees.Average(), 9);
    }

    [Fact]
    public void Fit_SameSeed_GivesSamePredictions()
    {
        List<IReadOnlyList<double>> x = Rows(40, 6);
        List<double> y = [.. x.Select(Truth)];
        RandomForestSurrogate a = RandomForestSurrogate.Fit(x, y, seed: 9);
        RandomForestSurrogate b = RandomForestSurrogate.Fit(x, y, seed: 9);
        RandomForestSurrogate c = RandomForestSurrogate.Fit(x, y, seed: 10);
        List<IReadOnlyList<double>> test = Rows(20, 7);
        Assert.Equal(test.Select(a.Predict), test.Select(b.Predict));
        Assert.NotEqual(test.Select(a.Predict), test.Select(c.Predict));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Fit_FewRows_DoesNotThrow(int rows)
    {
        List<IReadOnlyList<double>> x = Rows(rows, 8);
        for (int seed = 0; seed < 10; seed++)
        {
            RandomForestSurrogate forest = RandomForestSurrogate.Fit(x, [.. x.Select(Truth)], seed);
            (double mean, double std) = forest.Predict([0.5, 0.5, 0.5]);
            Assert.True(double.IsFinite(mean) && double.IsFinite(std) && std >= 0);
        }
    }

    [Fact]
    public void Fit_IdenticalRows_IsConstantWithLabelMeanAndSpread()
    {
        RandomForestSurrogate forest = RandomForestSurrogate.Fit([[0.5, 0.25], [0.5, 0.25], [0.5, 0.25]], [1.0, 2.0, 3.0], seed: 1);
        Assert.True(forest.IsConstant);
        (double mean, double std) = forest.Predict([0.9, 0.9]);
        Assert.Equal(2.0, mean, 10);
        Assert.Equal(Math.Sqrt(2.0 / 3.0), std, 10);
        Assert.Empty(forest.PredictTrees([0.9, 0.9]));
    }

    [Fact]
    public void Fit_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => RandomForestSurrogate.Fit([], [], 1));
        Assert.Throws<ArgumentException>(() => RandomForestSurrogate.Fit([[0.1], [0.2, 0.3]], [1, 2], 1));
        Assert.Throws<ArgumentException>(() => RandomForestSurrogate.Fit([[0.1], [0.2]], [1, double.NaN], 1));
        Assert.Throws<ArgumentException>(() => RandomForestSurrogate.Fit([[0.1], [0.2]], [1], 1));
        Assert.Throws<ArgumentException>(() => RandomForestSurrogate.Fit([[0.1], [0.2]], [1, 2], 1).Predict([0.1, 0.2]));
    }

    [Fact]
    public void Fit_HundredRows_IsFast()
    {
        List<IReadOnlyList<double>> x = Rows(100, 11, features: 12);
        List<double> y = [.. x.Select(Truth)];
        RandomForestSurrogate.Fit(x, y, seed: 0); // warm-up (JIT)
        var clock = Stopwatch.StartNew();
        for (int seed = 1; seed <= 5; seed++)
        {
            RandomForestSurrogate.Fit(x, y, seed);
        }

        // The budget is 200 ms a fit on a 2-core machine; the bound leaves room for a busy shared machine.
        Assert.True(clock.Elapsed.TotalMilliseconds / 5 < 1000, $"{clock.Elapsed.TotalMilliseconds / 5:F0} ms a fit");
    }
}
