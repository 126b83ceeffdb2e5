using Tuner.Core.Regression;

namespace Tuner.Core.Tests.Regression;

public sealed class RegressionDetectorTests
{
    private static readonly double[] HistoryTimes = [5.00, 5.10, 4.95, 5.05, 5.02, 4.98, 5.07, 4.93, 5.04, 5.01];

    [Fact]
    public void Compare_SameDistribution_IsUnchangedOnEveryMetric()
    {
        ConfigurationComparison result = RegressionDetector.Compare(Night("n3", [5.03, 4.97, 5.06, 4.99, 5.00]), History(), RegressionPolicy.Default);

        Assert.All(result.Metrics, m => Assert.Equal(Verdict.Unchanged, m.Verdict));
        Assert.Equal(5, result.TonightRuns);
        Assert.Equal(10, result.HistoryRuns);
        Assert.Equal(2, result.HistoryNights);
        Assert.False(result.HasRegression);
    }

    [Fact]
    public void Compare_ThirtyPercentSlower_IsTimeAndThroughputRegressionWithEffectAndPValue()
    {
        ConfigurationComparison result = RegressionDetector.Compare(Night("n3", [6.5, 6.6, 6.45, 6.55, 6.52]), History(), RegressionPolicy.Default);

        MetricComparison time = result.Metric(Metrics.TimeToTarget);
        Assert.Equal(Verdict.Regression, time.Verdict);
        Assert.Equal((6.52 / 5.015) - 1, time.Change, 6);
        Assert.True(time.ChangeLow > 0.05, $"interval low {time.ChangeLow}");
        Assert.Equal(1.0 / 3003, time.PValue, 10); // C(15,5): tonight's five are the five slowest
        Assert.Equal(Verdict.Regression, result.Metric(Metrics.Throughput).Verdict);
        Assert.True(result.Metric(Metrics.Throughput).Change < -0.2);
        Assert.Equal(Verdict.Unchanged, result.Metric(Metrics.ReachProbability).Verdict);
        Assert.True(result.HasRegression);
    }

    [Fact]
    public void Compare_ThirtyPercentFaster_IsImprovement()
    {
        ConfigurationComparison result = RegressionDetector.Compare(Night("n3", [3.5, 3.6, 3.45, 3.55, 3.52]), History(), RegressionPolicy.Default);

        Assert.Equal(Verdict.Improvement, result.Metric(Metrics.TimeToTarget).Verdict);
        Assert.True(result.HasImprovement);
        Assert.False(result.HasRegression);
    }

    [Fact]
    public void Compare_SignificantButBelowMinimumEffect_IsUnchanged()
    {
        ConfigurationComparison result = RegressionDetector.Compare(Night("n3", [5.15, 5.16, 5.17, 5.18, 5.19]), History(), RegressionPolicy.Default);

        MetricComparison time = result.Metric(Metrics.TimeToTarget);
        Assert.True(time.PValue < 0.01);
        Assert.InRange(time.Change, 0.02, 0.04);
        Assert.Equal(Verdict.Unchanged, time.Verdict);
    }

    [Fact]
    public void Compare_SignificantShiftSmallerThanNoise_IsNoisyWarningNotRegression()
    {
        double[] history = Enumerable.Range(5, 20).Select(v => (double)v).ToArray(); // CV 0.41
        double[] tonight = Enumerable.Range(0, 20).Select(i => 19.0 + (i * 0.05)).ToArray();

        ConfigurationComparison result = RegressionDetector.Compare(Night("n2", tonight), Night("n1", history), RegressionPolicy.Default);

        MetricComparison time = result.Metric(Metrics.TimeToTarget);
        Assert.True(time.PValue < 0.01, $"p = {time.PValue}");
        Assert.InRange(time.Change, 0.2, 0.4);
        Assert.Equal(Verdict.Noisy, time.Verdict);
        Assert.Contains("noisy: CV 41% > 25%", time.Note, StringComparison.Ordinal);
        Assert.False(result.HasRegression);
    }

    [Fact]
    public void Compare_HistoryNightsDriftMoreThanTonightsShift_IsNoisyNotRegression()
    {
        // Each night's seeds agree closely, but a whole night ran 40% faster on this machine (night-to-night CV 29%).
        List<SeedMeasurement> history = [.. Night("n1", [7.00, 7.02, 7.01, 6.99, 7.03]), .. Night("n2", [4.00, 4.02, 4.01, 3.99, 4.03]), .. Night("n3", [7.0, 7.02, 7.01, 6.99, 7.03])];

        ConfigurationComparison result = RegressionDetector.Compare(Night("n4", [7.50, 7.52, 7.51, 7.49, 7.53]), history, RegressionPolicy.Default);

        MetricComparison time = result.Metric(Metrics.TimeToTarget);
        Assert.True(time.PValue < 0.01, $"p = {time.PValue}");
        Assert.Equal(Verdict.Noisy, time.Verdict);
        Assert.Equal(RegressionDetector.BetweenNights(history, m => m.TimeToTarget), time.Cv, 12);
    }

    [Fact]
    public void Compare_ShiftSmallerThanTwiceTheNightToNightDrift_IsNoisyWithDriftNote()
    {
        // Tight nights (CV well under 25%) whose medians move by about 8% from night to night; tonight is 12% slower.
        List<SeedMeasurement> history = [.. Night("n1", [5.00, 5.01, 5.02, 5.03, 5.04]), .. Night("n2", [5.80, 5.81, 5.82, 5.83, 5.84]), .. Night("n3", [5.40, 5.41, 5.42, 5.43, 5.44])];

        ConfigurationComparison result = RegressionDetector.Compare(Night("n4", [6.05, 6.06, 6.07, 6.08, 6.09]), history, RegressionPolicy.Default);

        MetricComparison time = result.Metric(Metrics.TimeToTarget);
        Assert.True(time.PValue < 0.01, $"p = {time.PValue}");
        Assert.InRange(time.Change, 0.10, 0.14);
        Assert.Equal(Verdict.Noisy, time.Verdict);
        Assert.StartsWith("drifting: the history's nightly medians vary by 7% (CV)", time.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ShiftWellAboveTheDrift_IsRegression()
    {
        List<SeedMeasurement> history = [.. Night("n1", [5.00, 5.01, 5.02, 5.03, 5.04]), .. Night("n2", [5.80, 5.81, 5.82, 5.83, 5.84]), .. Night("n3", [5.40, 5.41, 5.42, 5.43, 5.44])];

        ConfigurationComparison result = RegressionDetector.Compare(Night("n4", [7.05, 7.06, 7.07, 7.08, 7.09]), history, RegressionPolicy.Default);

        Assert.Equal(Verdict.Regression, result.Metric(Metrics.TimeToTarget).Verdict);
    }

    [Fact]
    public void BetweenNights_OneNight_IsNaN()
    {
        Assert.True(double.IsNaN(RegressionDetector.BetweenNights(Night("n1", [1, 2, 3]), m => m.TimeToTarget)));
    }

    [Fact]
    public void Compare_NothingReachedTonight_IsTimeAndReachRegression()
    {
        double inf = double.PositiveInfinity;

        ConfigurationComparison result = RegressionDetector.Compare(Night("n3", [inf, inf, inf, inf, inf]), History(), RegressionPolicy.Default);

        MetricComparison time = result.Metric(Metrics.TimeToTarget);
        MetricComparison reach = result.Metric(Metrics.ReachProbability);
        Assert.Equal(Verdict.Regression, time.Verdict);
        Assert.True(double.IsPositiveInfinity(time.Change));
        Assert.Contains("did not reach", time.Note, StringComparison.Ordinal);
        Assert.Equal(Verdict.Regression, reach.Verdict);
        Assert.Equal(-1.0, reach.Change, 10);
        Assert.Equal(1.0 / 3003, reach.PValue, 10);
    }

    [Fact]
    public void Compare_NoHistory_SaysSo()
    {
        ConfigurationComparison result = RegressionDetector.Compare(Night("n1", [5, 5.1, 5.2]), [], RegressionPolicy.Default);

        Assert.All(result.Metrics, m => Assert.Equal(Verdict.NoHistory, m.Verdict));
        Assert.Equal(0, result.HistoryNights);
    }

    [Fact]
    public void Compare_NeitherReached_IsUnchangedWithNote()
    {
        double inf = double.PositiveInfinity;

        ConfigurationComparison result = RegressionDetector.Compare(Night("n2", [inf, inf, inf]), Night("n1", [inf, inf, inf]), RegressionPolicy.Default);

        Assert.Equal(Verdict.Unchanged, result.Metric(Metrics.TimeToTarget).Verdict);
        Assert.Contains("neither", result.Metric(Metrics.TimeToTarget).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_PairedOnEveryTrial_ComparesPairedThroughputSoABusyMachineIsNoRegression()
    {
        // Tonight the machine was twice as busy: samples/s halved, but the paired throughput (per reference step) held.
        List<SeedMeasurement> history = [.. Paired("n1", 1.00, 1200), .. Paired("n2", 1.01, 1200), .. Paired("n3", 0.99, 1200)];

        ConfigurationComparison result = RegressionDetector.Compare(Paired("n4", 1.0, 600), history, RegressionPolicy.Default);

        MetricComparison throughput = result.Metric(Metrics.Throughput);
        Assert.Equal(Metrics.Paired, throughput.Basis);
        Assert.Equal(Verdict.Unchanged, throughput.Verdict);
        Assert.InRange(throughput.Tonight, 25, 27);
    }

    [Fact]
    public void Compare_PairedFivePercentLower_IsRegressionWhateverTheSamplesPerSecond()
    {
        List<SeedMeasurement> history = [.. Paired("n1", 1.00, 1200), .. Paired("n2", 1.01, 1200), .. Paired("n3", 0.99, 1200)];

        ConfigurationComparison result = RegressionDetector.Compare(Paired("n4", 0.95, 1300), history, new RegressionPolicy(MinEffect: 0.03));

        MetricComparison throughput = result.Metric(Metrics.Throughput);
        Assert.Equal(Verdict.Regression, throughput.Verdict);
        Assert.InRange(throughput.Change, -0.06, -0.04);
    }

    [Fact]
    public void Compare_ATrialWithoutPairedThroughput_ComparesScaledSamplesPerSecond()
    {
        List<SeedMeasurement> history = [.. Paired("n1", 1.00, 1200), .. Night("n2", HistoryTimes[5..])];

        ConfigurationComparison result = RegressionDetector.Compare(Paired("n3", 1.0, 1200), history, RegressionPolicy.Default);

        Assert.Equal(Metrics.Scaled, result.Metric(Metrics.Throughput).Basis);
        Assert.Equal(string.Empty, result.Metric(Metrics.TimeToTarget).Basis);
    }

    [Theory]
    [InlineData(1.5, 0.01, 0.25, 10, "min_effect")]
    [InlineData(0.05, 0.0, 0.25, 10, "alpha")]
    [InlineData(0.05, 0.01, 0.0, 10, "max_cv")]
    [InlineData(0.05, 0.01, 0.25, 0, "history_nights")]
    public void Validate_OutOfRange_NamesTheSetting(double minEffect, double alpha, double maxCv, int nights, string name)
    {
        var error = Assert.Throws<Tuner.Core.Errors.TunerInputException>(() => new RegressionPolicy(minEffect, alpha, maxCv, nights).Validate("suites/nightly.json"));

        Assert.StartsWith("suites/nightly.json: " + name, error.Message, StringComparison.Ordinal);
    }

    private static List<SeedMeasurement> History() => [.. Night("n1", HistoryTimes[..5]), .. Night("n2", HistoryTimes[5..])];

    /// <summary>Seven seeds at <paramref name="samplesPerSecond"/> with a paired throughput of 26 x <paramref name="level"/>, within +-1% from seed to seed.</summary>
    private static List<SeedMeasurement> Paired(string night, double level, double samplesPerSecond) =>
        [.. Enumerable.Range(1, 7).Select(i => new SeedMeasurement(night, i, 5.0, samplesPerSecond, 26 * level * (1 + ((i - 4) * 0.003))))];

    /// <summary>Seeds 1..n with the given times; throughput 6000 samples over each time.</summary>
    private static List<SeedMeasurement> Night(string night, double[] times) =>
        times.Select((t, i) => new SeedMeasurement(night, i + 1, t, double.IsFinite(t) ? 6000 / t : 6000 / 20.0)).ToList();
}
