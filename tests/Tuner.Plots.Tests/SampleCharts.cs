namespace Tuner.Plots.Tests;

/// <summary>Plausible made-up data for the three charts, shared by the tests.</summary>
internal static class SampleCharts
{
    public static AccuracyCurveChart Accuracy(int seriesCount = 4, int seeds = 5, int evaluations = 60)
    {
        string[] names = ["baseline", "ema", "label-smoothing", "one-cycle lr", "sam", "mixup", "progressive resize", "swa", "lookahead", "batch ramp"];
        var series = new List<CurveSeries>();
        for (int s = 0; s < seriesCount; s++)
        {
            var runs = new List<CurveRun>();
            for (int seed = 0; seed < seeds; seed++)
            {
                var random = new Random((s * 100) + seed);
                double rate = 0.16 + (0.05 * s) + (0.004 * random.NextDouble());
                double ceiling = 0.882 + (0.005 * s) + (0.004 * random.NextDouble());
                double stepSeconds = 0.4 + (0.02 * seed);
                var points = new List<CurvePoint>();
                for (int e = 1; e <= evaluations; e++)
                {
                    double t = e * stepSeconds;
                    double metric = ceiling - ((ceiling - 0.1) * Math.Exp(-rate * t)) + (0.004 * (random.NextDouble() - 0.5));
                    points.Add(new CurvePoint(t, metric));
                }

                runs.Add(new CurveRun(seed, points));
            }

            series.Add(new CurveSeries(names[s % names.Length], runs));
        }

        return new AccuracyCurveChart("fashion-mlp: validation accuracy against training time", "validation accuracy", 0.88, series);
    }

    public static TrendChart Trend(int nights = 40, int seriesCount = 3)
    {
        string[] names = ["baseline", "ema + one-cycle", "recommended"];
        var start = new DateTime(2026, 10, 1, 2, 15, 0, DateTimeKind.Utc);
        var series = new List<TrendSeries>();
        for (int s = 0; s < seriesCount; s++)
        {
            var random = new Random(7 + s);
            var points = new List<TrendPoint>();
            for (int n = 0; n < nights; n++)
            {
                string night = start.AddDays(n).AddMinutes(n % 3).ToString("yyyy-MM-dd'T'HH-mm-ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                double median = (24 - (4 * s) - (0.06 * n)) * (1 + (0.08 * (random.NextDouble() - 0.5)));
                bool reached = random.NextDouble() > 0.07;
                points.Add(reached
                    ? new TrendPoint(night, median, median * 0.86, median * 1.17, 5, 5)
                    : new TrendPoint(night, null, median * 0.95, null, 2, 5));
            }

            series.Add(new TrendSeries(names[s % names.Length], points));
        }

        return new TrendChart("fashion-mlp: time to 0.88 validation accuracy, nightly", series);
    }

    /// <summary>Time-to-target ECDFs of two combinations on a log axis, one with censored trials.</summary>
    public static XyChart Ecdf()
    {
        (double, double)[] a = [(1.2, 0.25), (1.5, 0.5), (2.4, 0.75), (3.1, 1.0)];
        (double, double)[] b = [(0.8, 0.2), (2.0, 0.4), (6.5, 0.6)];
        return new XyChart("digits-mlp: time-to-target ECDF by technique combination", "time-to-target (s)", "share of trials that reached the target",
            [new XySeries("no technique (4/4)", a, XyStyle.Step, 0), new XySeries("ema+cosine (3/5)", b, XyStyle.Step, 1), new XySeries(string.Empty, [(10, 0.6), (10, 0.6)], XyStyle.HollowPoints, 1)])
        {
            XLog10 = true,
            YRange = (-0.02, 1.04),
        };
    }
}
