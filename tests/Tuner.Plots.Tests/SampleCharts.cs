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

    public static ParetoChart Pareto(int trials = 30, int seed = 3)
    {
        var random = new Random(seed);
        int[] batchSizes = [64, 128, 256, 512];
        var points = new List<ParetoPoint>();
        for (int i = 0; i < trials; i++)
        {
            double seconds = 6 + (54 * random.NextDouble());
            double metric = 0.905 - (0.35 / seconds) - (0.03 * random.NextDouble() * random.NextDouble()) - (0.012 * random.NextDouble());
            string lr = (0.001 + (0.01 * random.NextDouble())).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            string label = $"#{i.ToString(System.Globalization.CultureInfo.InvariantCulture)} lr={lr} bs={batchSizes[random.Next(batchSizes.Length)].ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            points.Add(new ParetoPoint(label, seconds, metric, metric >= 0.88));
        }

        return new ParetoChart("fashion-mlp: tuning trials, time against best accuracy", "best validation accuracy", 0.88, points);
    }
}
