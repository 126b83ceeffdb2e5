using Microsoft.Data.Sqlite;
using Tuner.Cli.Commands;
using Tuner.Reports;

namespace Tuner.Cli.Tests.Commands;

/// <summary>tuner search and tuner recommend end to end: real training on digits, a real SQLite store, real CSVs.</summary>
public sealed class SearchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-search").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Store => Path.Combine(_dir, "study.db");

    [Fact]
    public async Task Search_RandomOnDigits_StoresTrialsAndWritesTheTuningReport()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "3", "--storage", Store, "--budget", "5s");

        Assert.True(code == 0, error);
        Assert.Contains("[3/3] trial 2:", output, StringComparison.Ordinal);
        string report = Path.Combine(_dir, "results", "reports", "digits-mlp-random-trials.csv");
        var rows = CsvTable.Read(report, ["trial", "state", "status", "lr", "batch_size", "precision", "ema", "time_to_target_s", "score", "seed", "cpu"]);
        Assert.Equal(["0", "1", "2"], rows.Select(r => r["trial"]));
        Assert.All(rows, r => Assert.Equal("finished", r["state"]));
        Assert.All(rows, r => Assert.Contains(r["precision"], new[] { "0", "1" }));
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r["score"])));
    }

    [Fact]
    public async Task Search_LossTargetSuite_RanksByTimeToTheLossAndReportsTheLowestLoss()
    {
        string suite = RunCommandTests.LossSuite(_dir);

        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "search", "--suite", suite, "--trials", "4", "--storage", Store, "--budget", "3s");

        Assert.True(code == 0, error + output);
        Assert.Contains("suite digits-loss, tuner smac, target loss <= 0.3, budget 3s", output, StringComparison.Ordinal);
        var rows = CsvTable.Read(Path.Combine(_dir, "results", "reports", "digits-loss-smac-trials.csv"), ["trial", "status", "best_metric", "target", "score"]);
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal("0.3", r["target"]));
        Assert.All(rows.Where(r => r["status"] == "Reached"), r => Assert.True(double.Parse(r["best_metric"], System.Globalization.CultureInfo.InvariantCulture) <= 0.3));
        Assert.All(rows.Where(r => r["status"] != "Reached"), r => Assert.True(double.Parse(r["score"], System.Globalization.CultureInfo.InvariantCulture) > 1)); // a miss ranks after every trial that reached
        Assert.Contains(rows, r => r["status"] == "Reached");
    }

    [Fact]
    public async Task Search_EveryTrialFails_ExitsFiveNamingTheFirstReasonAndKeepsTheRecords()
    {
        // Every worker process aborts after its first evaluation: every trial is recorded Failed.
        Environment.SetEnvironmentVariable(WorkerCommand.FaultVariable, "abort");
        (int code, string output, string error) result;
        try
        {
            result = await CliRunner.RunAsync(_dir, "search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "2", "--budget", "40steps",
                "--target", "0.999", "--isolate", "--storage", Store);
        }
        finally
        {
            Environment.SetEnvironmentVariable(WorkerCommand.FaultVariable, null);
        }

        Assert.True(result.code == 5, result.error + result.output);
        string line = Assert.Single(result.error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("tuner: error:", StringComparison.Ordinal));
        Assert.StartsWith("tuner: error: every trial of study digits-mlp-random failed (2 of 2); trial 0:", line, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "results", "reports", "digits-mlp-random-trials.csv")), "the failed trials are still reported");
    }

    [Fact]
    public async Task Search_TimeShorterThanAnyTrial_ExitsTwoSayingNoTrialFinished()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "search", "--suite", "digits-mlp", "--time", "0.001s", "--storage", Store);

        Assert.True(code == 2, error + output);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("tuner: error: no trial of study digits-mlp-smac finished within --time 0.001s: give more --time (one trial takes up to the budget 10s plus data loading)", line);
    }

    [Fact]
    public async Task Recommend_OnDigits_PrintsTheConfigurationIntervalSpeedUpAndCommand()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir,
            "recommend", "--suite", "digits-mlp", "--trials", "6", "--time", "5m", "--max-seeds", "3", "--candidates", "2", "--storage", Store, "--budget", "5s");

        Assert.True(code == 0, error + output);
        Assert.Contains("time-to-target:", output, StringComparison.Ordinal);
        Assert.Contains("95% CI", output, StringComparison.Ordinal);
        Assert.Contains("speed-up:", output, StringComparison.Ordinal);
        Assert.Contains("reproduce:           tuner run --suite digits-mlp --budget 5s --seed 1000 --threads 1 --set optimizer=", output, StringComparison.Ordinal);
        string csv = Path.Combine(_dir, "results", "reports", "digits-mlp-smac-recommendation.csv");
        var rows = CsvTable.Read(csv, ["label", "chosen", "seeds", "median_time_to_target_s", "speedup", "command"]);
        Assert.Equal("baseline", rows[0]["label"]);
        Assert.Single(rows, r => r["chosen"] == "1");
        Assert.All(rows, r => Assert.Equal("3", r["seeds"]));
        Assert.All(rows, r => Assert.StartsWith("tuner run --suite digits-mlp", r["command"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recommend_TargetNobodyReaches_ExitsThreeAndShowsTheBestFound()
    {
        (int code, string output, _) = await CliRunner.RunAsync(_dir,
            "recommend", "--suite", "digits-mlp", "--trials", "2", "--time", "2m", "--storage", Store, "--budget", "20steps", "--target", "0.999");

        Assert.Equal(3, code);
        Assert.Contains("no recommendation: no configuration reached accuracy >= 0.999 in 2 search trials. best found: trial", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_CorruptedStore_IsAOneLineErrorAndTheFileIsUntouched()
    {
        await File.WriteAllTextAsync(Store, "this is not a database, it is a shopping list\n");
        byte[] before = await File.ReadAllBytesAsync(Store);

        string line = await SearchErrorAsync("--storage", Store, "--trials", "1");

        Assert.Contains("is not a SQLite database", line, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(Store));
    }

    [Fact]
    public async Task Search_ForeignSqliteFile_IsAOneLineErrorAndTheFileIsUntouched()
    {
        string foreign = Path.Combine(_dir, "inventory.db");
        await using (var connection = new SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items(name) VALUES ('bolt');";
            await command.ExecuteNonQueryAsync();
        }

        byte[] before = await File.ReadAllBytesAsync(foreign);

        string line = await SearchErrorAsync("--storage", foreign, "--trials", "1");

        Assert.Contains("not a Tuner study store", line, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(foreign));
    }

    [Fact]
    public async Task Search_StudyOfAnotherSuite_IsAOneLineErrorAndKeepsItsTrials()
    {
        (int code, _, string error) = await CliRunner.RunAsync(_dir, "search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "1", "--storage", Store, "--study", "mine", "--budget", "5s");
        Assert.True(code == 0, error);

        string line = await SearchErrorAsync("--suite", "digits-resmlp", "--storage", Store, "--study", "mine", "--trials", "1");

        Assert.Contains("digits-mlp", line, StringComparison.Ordinal);
        Assert.Contains("digits-resmlp", line, StringComparison.Ordinal);
        (code, string output, error) = await CliRunner.RunAsync(_dir, "search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "1", "--storage", Store, "--study", "mine", "--budget", "5s");
        Assert.True(code == 0, error);
        Assert.Contains("1 trials finished", output, StringComparison.Ordinal); // the earlier trial is still there; nothing new was needed
    }

    [Theory]
    [InlineData("""{ "techniques": { "turbo": {} } }""", "unknown technique 'turbo'")]
    [InlineData("""{ "parameters": { "batch_size": [] } }""", "empty choice")]
    [InlineData("""{ "parameters": { "lr": { "low": 0.5, "high": 0.1 } } }""", "inverted range")]
    [InlineData("""{ "techniques": { "ema": { "options": { "decay": { "low": 0.9, "high": 2 } } } } }""", "technique ema: option decay='2' is invalid")]
    [InlineData("""{ "techniques": { "mixup": { "always": true }, "cutmix": { "always": true } } }""", "conflict")]
    public async Task Search_MalformedSpaceFile_IsAOneLineErrorNamingTheProblem(string json, string expected)
    {
        string space = Path.Combine(_dir, "space.json");
        await File.WriteAllTextAsync(space, json);

        string line = await SearchErrorAsync("--space", space, "--storage", Store, "--trials", "1");

        Assert.Contains("space file", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(Store), "nothing is created before the input is valid");
    }

    [Theory]
    [InlineData(new[] { "--tuner", "bayes", "--trials", "2" }, "unknown tuner 'bayes'")]
    [InlineData(new[] { "--tuner", "smac" }, "give a stop condition")]
    [InlineData(new[] { "--time", "10steps" }, "--time '10steps' is invalid")]
    [InlineData(new[] { "--tuner", "grid", "--trials", "1", "--grid-cap", "5" }, "more than 5 configurations")]
    [InlineData(new[] { "--trials", "0" }, "--trials 0 is invalid")]
    [InlineData(new[] { "--trials", "2", "--cap", "0.5" }, "--cap 0.5 is invalid")]
    public async Task Search_BadOptions_AreOneLineErrors(string[] args, string expected)
    {
        string line = await SearchErrorAsync(["--storage", Store, .. args]);

        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_PostgresServerUnreachable_OneLineWithoutThePassword()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "search", "--suite", "digits-mlp", "--trials", "1", "--storage", "postgres://bob:hunter2secret@127.0.0.1:1/db");

        Assert.Equal(2, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot connect to postgres://bob@127.0.0.1:1/db", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_UnknownStudy_SaysHowToStartIt()
    {
        (int code, _, string error) = await CliRunner.RunAsync(_dir, "search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "1", "--storage", Store, "--budget", "5s");
        Assert.True(code == 0, error);

        (code, _, error) = await CliRunner.RunAsync(_dir, "worker", "--study", "nope", "--storage", Store);

        Assert.Equal(2, code);
        Assert.Contains("no study 'nope'", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    private async Task<string> SearchErrorAsync(params string[] args)
    {
        string[] all = ["search", .. args.Contains("--suite") ? [] : new[] { "--suite", "digits-mlp" }, .. args];
        (int code, _, string error) = await CliRunner.RunAsync(_dir, all);
        Assert.Equal(2, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("tuner: error: ", line, StringComparison.Ordinal);
        return line;
    }
}
