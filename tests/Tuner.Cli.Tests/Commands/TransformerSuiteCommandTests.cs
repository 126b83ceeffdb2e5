using Tuner.Core.Results;
using Tuner.Core.Trials;

namespace Tuner.Cli.Tests.Commands;

/// <summary>The text suites through the real CLI: listed with their metric and direction, a short run of each, the MFU of a Transformer, and the memory limit.</summary>
public sealed class TransformerSuiteCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-text").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task List_Suites_ShowsBothTextSuitesWithMetricAndDirection()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "list", "suites");

        Assert.True(code == 0, error);
        Assert.Contains("bits_per_char <= 2.6", output, StringComparison.Ordinal);
        Assert.Contains("transformer(width 64, 2 layers, 4 heads, context 128, vocabulary 128)", output, StringComparison.Ordinal);
        Assert.Contains("encoder(width 64, 2 layers, 4 heads, context 256, vocabulary 256)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bible-lm", "bits_per_char <= 2.6 on validation", 128 * 835_584.0)]
    [InlineData("spam-encoder", "accuracy >= 0.94 on validation", 256 * 6.0 * 2 * ((12 * 64 * 64) + (2 * 256 * 64)))]
    public async Task Run_ShortTextSuite_TrainsEvaluatesAndRecordsTheTransformersFlops(string suite, string target, double flops)
    {
        string record = Path.Combine(_dir, suite + ".jsonl");

        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "run", "--suite", suite, "--budget", "30steps", "--threads", "1", "--seed", "1", "--out", record);

        Assert.True(code == 3, error + output); // 30 steps do not reach the target
        Assert.Contains("target:              " + target, output, StringComparison.Ordinal);
        TrialRecord r = Assert.Single(TrialRecordJson.ReadAll(record));
        Assert.Equal(30, r.Steps);
        Assert.NotNull(r.TestMetric);
        Assert.True(double.IsFinite(r.BestMetric!.Value));
        Assert.Equal(flops, r.ModelFlopsPerSample!.Value, 1);
        Assert.InRange(r.Mfu!.Value, 0.01, 1.5);
    }

    [Fact]
    public async Task Run_AboveTheMemoryLimit_EndsOverMemoryWithExitEight()
    {
        string record = Path.Combine(_dir, "m.jsonl");

        // Every process holds the runtime and the data: 64 MiB is below any trial's peak.
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "run", "--suite", "digits-mlp", "--threads", "1", "--memory-limit", "64MiB", "--out", record);

        Assert.True(code == 8, error + output);
        TrialRecord r = Assert.Single(TrialRecordJson.ReadAll(record));
        Assert.Equal(TrialStatus.OverMemory, r.Status);
        Assert.Contains("above the memory limit of 64 MiB at step 1", r.FailureReason, StringComparison.Ordinal);
        Assert.Null(r.TimeToTargetSeconds);
    }

    [Fact]
    public async Task Run_WithinTheMemoryLimit_IsUnchanged()
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "run", "--suite", "digits-mlp", "--threads", "1", "--memory-limit", "16GiB", "--out", Path.Combine(_dir, "ok.jsonl"));

        Assert.True(code == 0, error + output);
    }

    [Theory]
    [InlineData("2 gigs")]
    [InlineData("0MiB")]
    [InlineData("12KiB")]
    [InlineData("-1GiB")]
    public async Task Run_BadMemoryLimit_IsOneLine(string value)
    {
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "run", "--suite", "digits-mlp", "--memory-limit", value);

        Assert.True(code == 2, error + output);
        Assert.Contains("--memory-limit '" + value + "' is not a memory size from 1 MiB to 1 PB", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Search_MemoryLimit_ReachesWorkerProcesses()
    {
        // The trial description carries the limit to each worker (--isolate): 64 MiB is below any TorchSharp process.
        (int code, string output, string error) = await CliRunner.RunAsync(_dir, "search", "--suite", "digits-mlp", "--trials", "1", "--isolate", "--memory-limit", "64MiB", "--threads", "1");

        Assert.True(code == 0, error + output);
        Assert.Contains("trial 0: OverMemory", output, StringComparison.Ordinal);
    }
}
