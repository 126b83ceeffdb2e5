using Microsoft.Data.Sqlite;
using Tuner.Reports;

namespace Tuner.Cli.Tests.Commands;

/// <summary>
/// tuner nightly and tuner report end to end: real training on digits, a real SQLite history, real files. The
/// manifest asks for a 25% minimum effect: digits trials last hundredths of a second, so a shared CI machine's
/// drift between nights is larger than the 5% default could tell apart; the injected slowdown (4x) is far above it.
/// </summary>
public sealed class NightlyCommandTests : IDisposable
{
    private const string Manifest = """
        {
          "name": "ci",
          "threads": 1,
          "seeds": [1, 2, 3, 4, 5, 6, 7, 8],
          "regression": { "min_effect": 0.25 },
          "suites": [
            { "suite": "digits-mlp", "budget": "10s",
              "track": [ { "label": "smooth", "set": { "lr": 0.03 }, "techniques": ["label_smoothing:alpha=0.1"] } ] }
          ]
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-nightly").FullName;

    public NightlyCommandTests() => File.WriteAllText(ManifestPath, Manifest);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private string ManifestPath => Path.Combine(_dir, "nightly.json");

    private string Store => Path.Combine(_dir, "history.db");

    [Fact]
    public async Task Nightly_SecondNightWithInjectedSlowdown_ExitsSevenNamingConfigurationEffectAndPValue_UnchangedNightsDoNot()
    {
        (int first, string firstOut, string firstErr) = await Night("n1");
        (int slowed, string slowedOut, string slowedErr) = await Night("n2", "--inject-slowdown", "smooth=4");
        (int third, string thirdOut, string thirdErr) = await Night("n3");
        (int fourth, _, string fourthErr) = await Night("n4");

        Assert.True(first == 0, firstErr + firstOut);
        Assert.Contains("digits-mlp smooth: reached", firstOut, StringComparison.Ordinal);
        Assert.Contains("-> no history", firstOut, StringComparison.Ordinal);

        Assert.True(slowed == 7, slowedErr + slowedOut);
        Assert.Matches(@"tuner: REGRESSION digits-mlp / smooth: time_to_target \+[0-9.]+% \(95% CI \+[0-9.]+% to [+0-9.inf]+%?\), p = [0-9.]+(e-[0-9]+)?, tonight 8 seeds vs 8 runs over 1 night\(s\)", slowedErr);
        Assert.DoesNotContain("REGRESSION digits-mlp / baseline", slowedErr, StringComparison.Ordinal);
        string markdown = File.ReadAllText(Path.Combine(_dir, "n2", "summary.md"));
        Assert.Contains("**REGRESSION** in 1 configuration(s)", markdown, StringComparison.Ordinal);
        Assert.Contains("slowdown x4 injected", markdown, StringComparison.Ordinal);

        Assert.True(third == 0, thirdErr + thirdOut);
        Assert.Contains("digits-mlp smooth: reached", thirdOut, StringComparison.Ordinal);
        Assert.Contains("(8 runs, 1 nights)", thirdOut, StringComparison.Ordinal); // the injected night is not history
        Assert.True(fourth == 0, fourthErr);

        var summary = CsvTable.Read(Path.Combine(_dir, "n4", "summary.csv"), ["label", "seeds", "reached", "history_nights", "history_runs", "ttt_verdict"]);
        Assert.Equal(["baseline", "smooth"], summary.Select(r => r["label"]));
        Assert.All(summary, r => Assert.Equal("2", r["history_nights"]));
        Assert.All(summary, r => Assert.Equal("16", r["history_runs"]));
        var trials = CsvTable.Read(Path.Combine(_dir, "n4", "trials.csv"), ["label", "seed", "status", "throughput_samples_per_s", "paired_throughput"]);
        Assert.Equal(16, trials.Count);
        // Nightly trials are paired with the reference workload: every trial long enough for a steady throughput has a paired one.
        Assert.All(trials, r => Assert.Equal(r["throughput_samples_per_s"].Length > 0, r["paired_throughput"].Length > 0));
    }

    [Fact]
    public async Task Report_AfterANight_RegeneratesTheSameFilesFromTheStore()
    {
        (int code, _, string error) = await Night("night");
        Assert.True(code == 0, error);

        (int again, string output, string reportError) = await CliRunner.RunAsync(_dir, "report", "--study", "ci", "--storage", Store, "--out", Path.Combine(_dir, "again"));

        Assert.True(again == 0, reportError + output);
        foreach (string name in new[] { "trials.csv", "summary.csv", "summary.md" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(_dir, "night", name)), File.ReadAllText(Path.Combine(_dir, "again", name)));
        }

        foreach (string png in new[] { "accuracy-digits-mlp.png", "trend-digits-mlp.png" })
        {
            Assert.True(new FileInfo(Path.Combine(_dir, "again", png)).Length > 10_000, png);
        }
    }

    [Fact]
    public async Task Report_SearchStudy_WritesTuningReportEcdfSamplesThroughputAndCurves()
    {
        (int searched, _, string searchError) = await CliRunner.RunAsync(_dir, "search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "4", "--storage", Store, "--budget", "5s");
        Assert.True(searched == 0, searchError);

        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "report", "--study", "digits-mlp-random", "--storage", Store, "--out", Path.Combine(_dir, "study"));

        Assert.True(code == 0, error + output);
        Assert.Equal(4, CsvTable.Read(Path.Combine(_dir, "study", "digits-mlp-random-trials.csv"), ["trial"]).Count);
        Assert.True(File.Exists(Path.Combine(_dir, "study", "digits-mlp-random-importance.csv")));
        Assert.True(new FileInfo(Path.Combine(_dir, "study", "ttt-ecdf.png")).Length > 10_000);
        Assert.True(new FileInfo(Path.Combine(_dir, "study", "samples-throughput.png")).Length > 10_000);
        Assert.False(File.Exists(Path.Combine(_dir, "study", "pareto.png"))); // replaced: it degenerated to a line at the target
        Assert.True(new FileInfo(Path.Combine(_dir, "study", "accuracy.png")).Length > 10_000);
    }

    [Fact]
    public async Task Nightly_InapplicableTechniqueInSecondSuite_FailsValidationBeforeRecordingAnything()
    {
        File.WriteAllText(ManifestPath, """
            { "suites": [
                { "suite": "digits-mlp", "budget": "5s" },
                { "suite": "digits-mlp-nope" } ] }
            """);

        (int code, string output, string error) = await Night("bad");

        Assert.Equal(2, code);
        Assert.StartsWith("tuner: ", error, StringComparison.Ordinal);
        Assert.Contains("suites[1]: unknown suite 'digits-mlp-nope'", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("validating", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "bad")));
    }

    [Fact]
    public async Task Nightly_TechniqueTheSuiteCannotRun_IsRefusedBeforeAnythingRunsAndStoresNoNight()
    {
        File.WriteAllText(ManifestPath, """
            { "name": "ci", "suites": [
                { "suite": "digits-mlp", "budget": "5s", "track": [ { "label": "deep", "techniques": ["stochastic_depth"] } ] } ] }
            """);

        (int code, string output, string error) = await Night("bad");

        Assert.Equal(2, code);
        Assert.Contains("track[0]: technique stochastic_depth does not apply to suite digits-mlp: it needs a model with residual blocks", error, StringComparison.Ordinal);
        Assert.DoesNotContain("validating", output, StringComparison.Ordinal);
        (int report, _, string reportError) = await CliRunner.RunAsync(_dir, "report", "--study", "ci", "--storage", Store);
        Assert.Equal(2, report);
        Assert.Contains("there is no study store there (nothing was created)", reportError, StringComparison.Ordinal);
        Assert.False(File.Exists(Store), "a read-only report must not create the store");
    }

    [Fact]
    public async Task Nightly_SlowdownForUnknownLabel_IsOneLineListingTheLabels()
    {
        (int code, _, string error) = await Night("x", "--inject-slowdown", "fastest=2");

        Assert.Equal(2, code);
        Assert.Contains("--inject-slowdown fastest: no configuration of", error, StringComparison.Ordinal);
        Assert.Contains("(labels: baseline, smooth)", error, StringComparison.Ordinal);
    }

    private Task<(int, string, string)> Night(string name, params string[] extra) =>
        CliRunner.RunAsync(_dir, ["nightly", "--manifest", ManifestPath, "--storage", Store, "--out", Path.Combine(_dir, name), .. extra]);
}
