using System.Globalization;
using System.Runtime.CompilerServices;
using Tuner.Core.Regression;
using Tuner.Reports.Nightly;
using Tuner.Storage;

namespace Tuner.Reports.Tests.Nightly;

/// <summary>
/// The machine-read nightly outputs (trials.csv, summary.csv, summary.md) of a fixed three-night history are byte for
/// byte the committed golden files, under the invariant culture and under de-DE (decimal comma, other dates). To
/// accept a deliberate format change, run the tests with TUNER_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public sealed class NightlyGoldenTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tuner-golden-" + Guid.NewGuid().ToString("N"));

    public NightlyGoldenTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteCleanup();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    public async Task Outputs_UnderCulture_MatchGoldenFiles(string culture)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        CultureInfo savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            NightReport report = await AnalyseTonightAsync();
            string output = Path.Combine(_directory, "out-" + (culture.Length == 0 ? "invariant" : culture));

            IReadOnlyList<string> files = NightlyOutputs.Write(report, output);

            Assert.Equal(["trials.csv", "summary.csv", "summary.md", "accuracy-digits-mlp.png", "trend-digits-mlp.png"], files);
            foreach (string name in new[] { "trials.csv", "summary.csv", "summary.md" })
            {
                AssertGolden(name, File.ReadAllText(Path.Combine(output, name)));
            }

            foreach (string png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
            {
                byte[] bytes = File.ReadAllBytes(Path.Combine(output, png));
                Assert.True(bytes.Length > 10_000, $"{png} is {bytes.Length} bytes");
                Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    [Fact]
    public async Task Analyse_FixedHistory_GivesEachVerdictWhereExpected()
    {
        NightReport report = await AnalyseTonightAsync();

        SuiteNight suite = Assert.Single(report.Suites);
        Verdict Time(string label) => suite.Configurations.Single(c => c.Label == label).Comparison.Metric(Metrics.TimeToTarget).Verdict;
        Assert.Equal(Verdict.Unchanged, Time("baseline"));
        Assert.Equal(Verdict.Regression, Time("fast"));
        Assert.Equal(Verdict.Noisy, Time("wild"));
        Assert.Equal(Verdict.Improvement, Time("tuned"));
        Assert.True(report.HasRegression);
        ConfigurationNight fast = suite.Configurations.Single(c => c.Label == "fast");
        Assert.Equal(10, fast.Comparison.HistoryRuns);
        Assert.Equal(2, fast.Comparison.HistoryNights);
        Assert.Equal(3, fast.Trend.Count);
        Assert.Equal(4, fast.Reached);
    }

    [Fact]
    public async Task Analyse_MachineThirtyPercentSlowerTonight_ScalesHistoryAndKeepsEveryVerdict()
    {
        await using IStudyStorage storage = await NightlyHistoryFixture.CreateAsync(Path.Combine(_directory, "slow.db"), machineTonight: 1.3);

        NightReport report = await NightlyAnalysis.AnalyseAsync(storage, NightlyHistoryFixture.Manifest, null, CancellationToken.None);

        SuiteNight suite = Assert.Single(report.Suites);
        Assert.Equal(1.3, suite.MachineVsHistory!.Value, 10);
        Assert.Contains(suite.Notes, n => n.StartsWith("the machine ran 30% slower tonight", StringComparison.Ordinal));
        Verdict Time(string label) => suite.Configurations.Single(c => c.Label == label).Comparison.Metric(Metrics.TimeToTarget).Verdict;
        Verdict Throughput(string label) => suite.Configurations.Single(c => c.Label == label).Comparison.Metric(Metrics.Throughput).Verdict;
        Assert.Equal(Verdict.Unchanged, Time("baseline"));
        Assert.Equal(Verdict.Unchanged, Throughput("baseline"));
        Assert.Equal(Verdict.Regression, Time("fast"));
        Assert.Equal(Verdict.Improvement, Time("tuned"));
        Assert.Equal(1.3 * 4.08, suite.Configurations[0].TimeToTarget.Estimate, 6); // tonight's own numbers stay as measured
    }

    [Fact]
    public async Task Analyse_EarlierNight_UsesOnlyNightsBeforeIt()
    {
        await using IStudyStorage storage = await NightlyHistoryFixture.CreateAsync(Path.Combine(_directory, "h.db"));

        NightReport second = await NightlyAnalysis.AnalyseAsync(storage, NightlyHistoryFixture.Manifest, NightlyHistoryFixture.Nights[1], CancellationToken.None);
        NightReport first = await NightlyAnalysis.AnalyseAsync(storage, NightlyHistoryFixture.Manifest, NightlyHistoryFixture.Nights[0], CancellationToken.None);

        Assert.All(second.Suites[0].Configurations, c => Assert.Equal(1, c.Comparison.HistoryNights));
        Assert.False(second.HasRegression);
        Assert.All(first.Suites[0].Configurations, c => Assert.All(c.Comparison.Metrics, m => Assert.Equal(Verdict.NoHistory, m.Verdict)));
    }

    [Fact]
    public async Task Analyse_UnknownNight_IsOneLineNamingTheNights()
    {
        await using IStudyStorage storage = await NightlyHistoryFixture.CreateAsync(Path.Combine(_directory, "h.db"));

        var error = await Assert.ThrowsAsync<Tuner.Core.Errors.TunerInputException>(() => NightlyAnalysis.AnalyseAsync(storage, NightlyHistoryFixture.Manifest, "2020-01-01", CancellationToken.None));

        OneLineAssert.Message(error, "night '2020-01-01' of 'golden' is not in", NightlyHistoryFixture.Nights[2]);
    }

    [Fact]
    public async Task Analyse_SamplesToTargetChangedOnFixedSeeds_IsNamedAnAlgorithmicChange()
    {
        NightReport unchanged = await AnalyseTonightAsync();
        NightReport changed = await AnalyseTonightAsync(samplesChangedTonight: "baseline");

        Assert.DoesNotContain(Assert.Single(unchanged.Suites).Notes, n => n.Contains("samples-to-target changed", StringComparison.Ordinal));
        string note = Assert.Single(Assert.Single(changed.Suites).Notes, n => n.Contains("samples-to-target changed", StringComparison.Ordinal));
        Assert.StartsWith("baseline: samples-to-target changed on fixed seeds (seed 1: 2400 samples tonight, 3000 samples on 2026-11-02T02-00-00Z;", note, StringComparison.Ordinal);
        Assert.Contains("an algorithmic change", note, StringComparison.Ordinal);
        // Its times did not move: timing alone would call it unchanged, the samples say the algorithm changed.
        Assert.Equal(Verdict.Unchanged, Assert.Single(changed.Suites).Configurations.Single(c => c.Label == "baseline").Comparison.Metric(Metrics.TimeToTarget).Verdict);
    }

    private async Task<NightReport> AnalyseTonightAsync(string? samplesChangedTonight = null)
    {
        string store = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db");
        await using IStudyStorage storage = await NightlyHistoryFixture.CreateAsync(store, samplesChangedTonight: samplesChangedTonight);
        return await NightlyAnalysis.AnalyseAsync(storage, NightlyHistoryFixture.Manifest, null, CancellationToken.None);
    }

    private static void AssertGolden(string name, string actual, [CallerFilePath] string source = "")
    {
        string golden = Path.Combine(Path.GetDirectoryName(source)!, "..", "Golden", "nightly-" + name);
        if (Environment.GetEnvironmentVariable("TUNER_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, actual, new System.Text.UTF8Encoding(false));
        }

        string copied = Path.Combine(AppContext.BaseDirectory, "Golden", "nightly-" + name);
        string expected = File.ReadAllText(File.Exists(golden) ? golden : copied);
        Assert.Equal(expected, actual);
    }

    private static void SqliteCleanup() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}
