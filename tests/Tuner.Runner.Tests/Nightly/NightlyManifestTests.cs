using Tuner.Core.Budgets;
using Tuner.Core.Errors;
using Tuner.Runner.Nightly;

namespace Tuner.Runner.Tests.Nightly;

public sealed class NightlyManifestTests
{
    private const string Path = "suites/nightly.json";

    [Fact]
    public void Parse_FullManifest_ReadsEverythingWithBaselineFirst()
    {
        NightlyManifest manifest = NightlyManifest.Parse("""
            {
              // comments are allowed
              "name": "ci-nightly",
              "threads": 2,
              "seeds": [7, 8, 9],
              "regression": { "min_effect": 0.1, "alpha": 0.05, "max_cv": 0.3, "history_nights": 4 },
              "suites": [
                { "suite": "digits-mlp", "budget": "300steps", "target": 0.9, "seeds": [1, 2, 3, 4],
                  "baseline": { "set": { "lr": 0.02 } },
                  "track": [ { "label": "smooth", "set": { "lr": "0.03", "batch_size": 64 }, "techniques": ["label_smoothing:alpha=0.1", "ema"] } ] },
                { "suite": "fashion-mlp" }
              ]
            }
            """, Path);

        Assert.Equal("ci-nightly", manifest.Name);
        Assert.Equal(2, manifest.Threads);
        Assert.Equal(new Core.Regression.RegressionPolicy(0.1, 0.05, 0.3, 4), manifest.Policy);
        NightlySuite digits = manifest.Suites[0];
        Assert.Equal(Budget.Steps(300), digits.Budget);
        Assert.Equal(0.9, digits.Target);
        Assert.Equal(0.9, digits.Suite.Target.Value);
        Assert.Equal([1L, 2, 3, 4], digits.Seeds);
        Assert.Equal(["baseline", "smooth"], digits.Configurations.Select(c => c.Label));
        Assert.Equal(0.02, digits.Baseline.Configuration.LearningRate);
        Assert.Equal(0.03, digits.Configurations[1].Configuration.LearningRate);
        Assert.Equal(64, digits.Configurations[1].Configuration.BatchSize);
        Assert.Equal(["label_smoothing", "ema"], digits.Configurations[1].Configuration.Techniques.Select(t => t.Name));
        NightlySuite fashion = manifest.Suites[1];
        Assert.Equal([7L, 8, 9], fashion.Seeds);
        Assert.Equal(fashion.Suite.DefaultBudget, fashion.Budget);
        Assert.Single(fashion.Configurations);
        Assert.Equal(4 * 2 + 3, manifest.TrialCount);
        Assert.Null(manifest.WorstCase); // a step budget has no wall-clock bound
    }

    [Fact]
    public void Load_CommittedNightlyManifest_IsValid()
    {
        string path = System.IO.Path.Combine(RepositoryRoot(), "suites", "nightly.json");

        NightlyManifest manifest = NightlyManifest.Load(path);

        Assert.Equal("nightly", manifest.Name);
        Assert.All(manifest.Suites, s => Assert.True(s.Seeds.Count >= 5));
        Assert.InRange(manifest.Policy.MinEffect, 0.05, 0.2); // sized for a shared machine, see the manifest
        Assert.NotNull(manifest.WorstCase);
    }

    [Theory]
    [InlineData("""{ "suites": [] }""", "suites/nightly.json: 'suites' must be a non-empty array")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp" } ], "extra": 1 }""", "suites/nightly.json (the manifest): unknown key 'extra'")]
    [InlineData("""{ "suites": [ { "suite": "nope" } ] }""", "suites/nightly.json: suites[0]: unknown suite 'nope'")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp", "budget": "ten" } ] }""", "suites/nightly.json: suites[0]: ")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp", "budget": "90m" } ] }""", "suites/nightly.json: suites[0]: budget 5400s is longer than 60 minutes")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp", "target": 1.5 } ] }""", "suites/nightly.json: suites[0]: target 1.5 is invalid")]
    [InlineData("""{ "seeds": [1, 2], "suites": [ { "suite": "digits-mlp" } ] }""", "suites/nightly.json: 'seeds' has 2 seed(s): give at least 3")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp", "seeds": [1, 1, 2] } ] }""", "suites/nightly.json: suites[0]: 'seeds' repeats a seed")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp", "track": [ { "label": "baseline" } ] } ] }""", "suites/nightly.json: suites[0]: label 'baseline' is used twice")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp", "track": [ { "set": {} } ] } ] }""", "suites/nightly.json: suites[0].track[0]: missing \"label\"")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp", "track": [ { "label": "a", "techniques": ["warp"] } ] } ] }""", "suites/nightly.json: suites[0].track[0]: unknown technique 'warp'")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp", "track": [ { "label": "a", "techniques": ["batch_size", "large_batch"] } ] } ] }""", "suites/nightly.json: suites[0].track[0]: techniques ")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp", "track": [ { "label": "a", "set": { "lr": -1 } } ] } ] }""", "suites/nightly.json: suites[0].track[0]: ")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp" }, { "suite": "digits-mlp" } ] }""", "suites/nightly.json: suite digits-mlp is listed twice")]
    [InlineData("""{ "regression": { "alpha": 2 }, "suites": [ { "suite": "digits-mlp" } ] }""", "suites/nightly.json: regression: alpha must be in (0, 0.5)")]
    [InlineData("""{ "name": "a b", "suites": [ { "suite": "digits-mlp" } ] }""", "suites/nightly.json: name 'a b' must be letters")]
    [InlineData("""{ "suites": [ { "suite": "digits-mlp" } """, "suites/nightly.json is not valid JSON")]
    public void Parse_BadManifest_OneLineErrorNamingFileAndEntry(string json, string start)
    {
        var error = Assert.Throws<TunerInputException>(() => NightlyManifest.Parse(json, Path));

        OneLineAssert.Message(error);
        Assert.StartsWith(start, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysHowToGiveOne()
    {
        var error = Assert.Throws<TunerInputException>(() => NightlyManifest.Load("/nonexistent/nightly.json"));

        OneLineAssert.Message(error, "manifest /nonexistent/nightly.json not found", "--manifest");
    }

    [Theory]
    [InlineData("recommended=1.3", null, "recommended", 1.3)]
    [InlineData("fashion-mlp/baseline=2", "fashion-mlp", "baseline", 2.0)]
    [InlineData("*=1.5", null, "*", 1.5)]
    public void SlowdownRule_Parse_ReadsTargetAndFactor(string text, string? suite, string label, double factor)
    {
        Assert.Equal(new SlowdownRule(suite, label, factor), SlowdownRule.Parse(text));
    }

    [Theory]
    [InlineData("recommended")]
    [InlineData("recommended=1")]
    [InlineData("recommended=abc")]
    [InlineData("=2")]
    public void SlowdownRule_Parse_Invalid_IsOneLine(string text)
    {
        var error = Assert.Throws<TunerInputException>(() => SlowdownRule.Parse(text));

        OneLineAssert.Message(error, "--inject-slowdown", "LABEL=FACTOR");
    }

    private static string RepositoryRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory, "Tuner.sln")))
        {
            directory = System.IO.Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("Tuner.sln not found above " + AppContext.BaseDirectory);
    }
}
