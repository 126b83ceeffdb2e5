using Microsoft.Data.Sqlite;

namespace Tuner.Cli.Tests.Commands;

/// <summary>
/// A workload from an assembly (tests/Tuner.TestWorkloads, loaded from its own build output as a user's would be)
/// through every command that trains: run, search (in this process and in worker processes), effects, nightly, and
/// the listing of what applies to it; a broken one is one line and exit 2.
/// </summary>
public sealed class WorkloadCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-workload-cli").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private string Suite(string type = "RingsWorkload") => TestWorkloads.WriteSuite(_dir, type: type, name: type == "RingsWorkload" ? "rings" : type);

    [Fact]
    public async Task Run_TrainsTheWorkloadToItsTarget()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "run", "--suite", Suite(), "--threads", "1", "--seed", "2", "--out", Path.Combine(_dir, "t.jsonl"));

        Assert.True(code == 0, error + output);
        Assert.Contains("suite rings: target accuracy >= 0.9", output, StringComparison.Ordinal);
        Assert.Contains("status:              Reached", output, StringComparison.Ordinal);
        Assert.Contains("\"suite\":\"rings\"", File.ReadAllText(Path.Combine(_dir, "t.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_InThisProcessAndInWorkerProcesses_FinishesEveryTrial()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "search", "--suite", Suite(), "--trials", "3", "--storage", Path.Combine(_dir, "s.db"), "--report", Path.Combine(_dir, "a.csv"), "--study", "here");
        (int workers, string workersOut, string workersErr) = await CliRunner.RunAsync(_dir, "search", "--suite", Suite(), "--trials", "2", "--workers", "2", "--storage", Path.Combine(_dir, "s.db"), "--report", Path.Combine(_dir, "b.csv"), "--study", "workers");

        Assert.True(code == 0, error + output);
        Assert.Contains("3 trials finished", output, StringComparison.Ordinal);
        Assert.True(workers == 0, workersErr + workersOut);
        Assert.Contains("2 trials finished", workersOut, StringComparison.Ordinal);
        Assert.Contains("worker ", workersOut + workersErr, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(_dir, "b.csv")).Length); // header + 2 trials
    }

    [Fact]
    public async Task Report_OfAStudyOnASuiteFile_TakesTheFileWithSuite()
    {
        string store = Path.Combine(_dir, "r.db");
        (int searched, string searchOut, string searchErr) = await CliRunner.RunAsync(_dir, "search", "--suite", Suite(), "--trials", "2", "--storage", store, "--study", "rings-report", "--report", Path.Combine(_dir, "r.csv"));
        (int without, _, string withoutErr) = await CliRunner.RunAsync(_dir, "report", "--study", "rings-report", "--storage", store, "--out", Path.Combine(_dir, "rep1"));
        (int with, string withOut, string withErr) = await CliRunner.RunAsync(_dir, "report", "--study", "rings-report", "--storage", store, "--suite", Suite(), "--out", Path.Combine(_dir, "rep2"));

        Assert.True(searched == 0, searchErr + searchOut);
        Assert.Equal(2, without);
        Assert.Contains("study 'rings-report' is on suite 'rings', which is not built in", withoutErr, StringComparison.Ordinal);
        Assert.Contains("pass the file with --suite PATH", withoutErr, StringComparison.Ordinal);
        Assert.True(with == 0, withErr + withOut);
        string[] report = File.ReadAllLines(Path.Combine(_dir, "rep2", "rings-report-trials.csv"));
        Assert.Equal(3, report.Length); // header + the study's 2 trials, regenerated from the store
    }

    [Fact]
    public async Task Effects_MeasureATechniqueOnTheWorkload_AndRefuseOneItsFactsRuleOut()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "effects", "--suite", Suite(), "--seeds", "3", "--max-seeds", "3", "--budget", "400steps",
            "--technique", "ema", "--out", Path.Combine(_dir, "e.csv"), "--readme", Path.Combine(_dir, "e.md"));
        (int refused, _, string refusal) = await CliRunner.RunAsync(_dir, "effects", "--suite", Suite(), "--technique", "model_scaling", "--out", Path.Combine(_dir, "f.csv"), "--readme", Path.Combine(_dir, "f.md"));

        Assert.True(code == 0, error + output);
        Assert.Contains("ema", File.ReadAllText(Path.Combine(_dir, "e.csv")), StringComparison.Ordinal);
        Assert.Equal(2, refused);
        Assert.Contains("technique model_scaling does not apply to suite rings: it needs a model of a built-in kind", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nightly_TracksAConfigurationOfTheWorkload()
    {
        string manifest = Path.Combine(_dir, "nightly.json");
        File.WriteAllText(manifest, $$"""
            { "name": "w", "threads": 1, "seeds": [1, 2, 3, 4, 5],
              "suites": [ { "suite": "{{Suite()}}", "budget": "400steps",
                            "track": [ { "label": "ema", "techniques": ["ema:decay=0.9"] } ] } ] }
            """);

        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "nightly", "--manifest", manifest, "--storage", Path.Combine(_dir, "h.db"), "--out", Path.Combine(_dir, "n1"));

        Assert.True(code == 0, error + output);
        Assert.Contains("rings ema: reached", output, StringComparison.Ordinal);
        Assert.Contains("rings baseline: reached", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTechniques_ForTheWorkload_MarksWhatItsFactsRuleOut()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "list", "techniques", "--suite", Suite());

        Assert.True(code == 0, error + output);
        Assert.Contains("model_scaling", output, StringComparison.Ordinal);
        Assert.Contains("built-in kind", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ThrowingWorkload", "the constructor of 'Tuner.TestWorkloads.ThrowingWorkload' threw InvalidOperationException: the rings licence file is missing")]
    [InlineData("NotAWorkload", "does not implement Tuner.Training.Workloads.IWorkload")]
    [InlineData("WrongOutputWorkload", "the model returns [2, 5] for 2 validation samples")]
    public async Task Run_BrokenWorkload_IsOneLineAndExitTwo(string type, string message)
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "run", "--suite", Suite(type), "--threads", "1");

        Assert.True(code == 2, error + output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingWorkloadAssembly_IsOneLineNamingTheBuild()
    {
        string suite = TestWorkloads.WriteSuite(_dir, name: "gone", assembly: "bin/Release/net10.0/Gone.dll");

        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "run", "--suite", suite);

        Assert.True(code == 2, error + output);
        Assert.Contains("suite file 'gone.json', workload: assembly", error, StringComparison.Ordinal);
        Assert.Contains("dotnet build -c Release", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
