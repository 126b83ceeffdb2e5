using System.Diagnostics;
using System.Globalization;
using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Runner.Processes;
using Tuner.Suites.Specs;
using Tuner.Training.Engine;

namespace Tuner.Runner.Tests.Processes;

/// <summary>
/// The process runner against the real worker (tuner.dll in the test output) on the digits suite, one thread: the same
/// record as in-process, pruning, crashes, hangs, cancellation, and suite names that would be commands in a shell.
/// </summary>
public sealed class ProcessTrialRunnerTests
{
    /// <summary>Never reached on digits: trials run on until a fault, a pruner, a limit or cancellation stops them.</summary>
    private const double Unreachable = 0.999;

    private static readonly SuiteSpec Digits = SuiteCatalog.Resolve("digits-mlp");

    private static TrialRequest Request(Budget budget, long seed = 1, double? target = null, Func<IReadOnlyList<EvaluationPoint>, bool>? shouldStop = null) => new()
    {
        Suite = Digits,
        Configuration = Digits.Baseline,
        Budget = budget,
        Seed = seed,
        Host = new TrialHost { Device = "cpu", Threads = 1 },
        TargetValue = target,
        ShouldStop = shouldStop,
    };

    private static ProcessTrialRunner Runner(string? fault = null, TimeSpan? otherLimit = null, Action<int>? started = null) => new(new ProcessTrialRunnerOptions
    {
        EnvironmentVariables = fault is null
            ? new Dictionary<string, string?>(StringComparer.Ordinal)
            : new Dictionary<string, string?>(StringComparer.Ordinal) { ["TUNER_WORKER_FAULT"] = fault },
        OtherBudgetLimit = otherLimit ?? TimeSpan.FromMinutes(5),
        WorkerStarted = started,
    });

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [Fact]
    public void TestOutput_HoldsTheWorker()
    {
        foreach (string file in new[] { "tuner.dll", "tuner.runtimeconfig.json", "tuner.deps.json" })
        {
            Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, file)), $"{file} is missing from the test output");
        }

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "tuner.dll"), ProcessTrialRunner.DefaultTunerDllPath);
    }

    [Fact]
    public async Task RunAsync_DigitsToTarget_GivesTheInProcessRecord()
    {
        TrialRequest request = Request(Budget.Steps(3000), seed: 3); // seed 3 validates at 0.97 after 1,962 steps
        var reports = new List<TrainingProgress>();
        var progress = new SynchronousProgress<TrainingProgress>(reports.Add);

        TrialRecord isolated = await Runner().RunAsync(request, progress, CancellationToken.None);
        TrialRecord inProcess;
        using (var runner = new InProcessTrialRunner())
        {
            await runner.PrepareAsync(request, CancellationToken.None);
            inProcess = await runner.RunAsync(request, null, CancellationToken.None);
        }

        Assert.Equal(TrialStatus.Reached, inProcess.Status);
        Assert.Equal(inProcess.Status, isolated.Status);
        Assert.Null(isolated.FailureReason);
        Assert.Equal(inProcess.StepsToTarget, isolated.StepsToTarget);
        Assert.Equal(inProcess.SamplesToTarget, isolated.SamplesToTarget);
        Assert.Equal(inProcess.Steps, isolated.Steps);
        Assert.Equal(inProcess.Samples, isolated.Samples);
        Assert.Equal(inProcess.BestMetric, isolated.BestMetric);
        Assert.Equal(inProcess.FinalMetric, isolated.FinalMetric);
        Assert.NotNull(inProcess.TestMetric);
        Assert.Equal(inProcess.TestMetric, isolated.TestMetric);
        Assert.Equal(inProcess.FinalTrainLoss, isolated.FinalTrainLoss);
        Assert.Equal(
            inProcess.Curve.Select(p => (p.Step, p.Samples, p.Metric, p.EvalLoss, p.TrainLoss)),
            isolated.Curve.Select(p => (p.Step, p.Samples, p.Metric, p.EvalLoss, p.TrainLoss)));
        Assert.Equal(inProcess.TechniqueTrace, isolated.TechniqueTrace);
        Assert.Equal(inProcess.Configuration, isolated.Configuration);
        Assert.Equal((inProcess.Suite, inProcess.Seed, inProcess.Budget, inProcess.Target), (isolated.Suite, isolated.Seed, isolated.Budget, isolated.Target));
        Assert.Equal(1, isolated.Environment.TorchThreads);
        Assert.True(isolated.PeakRssBytes > 0);
        Assert.NotEmpty(reports);
        Assert.Equal(isolated.BestMetric, reports[^1].BestMetric);
    }

    [Fact]
    public async Task RunAsync_PrunerSaysStopAfterTwoEvaluations_IsPrunedAtTheSecondAsInProcess()
    {
        int asked = 0;
        TrialRequest request = Request(Budget.Steps(2000), target: Unreachable, shouldStop: curve =>
        {
            asked++;
            return curve.Count >= 2;
        });

        TrialRecord record = await Runner().RunAsync(request, null, CancellationToken.None);

        Assert.Equal(TrialStatus.Pruned, record.Status);
        Assert.False(ProcessTrialRunner.IsInfrastructureFailure(record));
        Assert.Equal(2, asked);
        Assert.Equal(2, record.Curve.Count);
        Assert.Equal(2L * Digits.Baseline.EvalEverySamples / Digits.Baseline.BatchSize, record.Steps);
    }

    [Theory]
    [InlineData("abort", "aborted (signal 6, SIGABRT)")]
    [InlineData("exit", "exited with code 3 without a result")]
    public async Task RunAsync_WorkerDiesAfterTheFirstEvaluation_IsAnInfrastructureFailure(string fault, string reason)
    {
        TrialRecord record = await Runner(fault).RunAsync(Request(Budget.Steps(2000), target: Unreachable), null, CancellationToken.None);

        Assert.Equal(TrialStatus.Failed, record.Status);
        Assert.True(ProcessTrialRunner.IsInfrastructureFailure(record), record.FailureReason);
        Assert.StartsWith(ProcessTrialRunner.InfrastructureFailurePrefix + reason, record.FailureReason, StringComparison.Ordinal);
        Assert.Equal("digits-mlp", record.Suite);
        Assert.Equal(0, record.Steps);
        Assert.Equal("cpu", record.Environment.Device); // from the worker's started event
        Assert.Equal(1, record.Environment.TorchThreads);
    }

    [Fact]
    public async Task RunAsync_WorkerHangs_IsKilledAtTheLimit()
    {
        int pid = 0;
        var clock = Stopwatch.StartNew();

        TrialRecord record = await Runner("hang", otherLimit: TimeSpan.FromSeconds(5), started: p => pid = p)
            .RunAsync(Request(Budget.Steps(50)), null, CancellationToken.None);

        Assert.Equal(TrialStatus.Failed, record.Status);
        Assert.True(ProcessTrialRunner.IsInfrastructureFailure(record));
        Assert.Equal("worker crashed: killed after 5 s (the limit for a 50steps budget)", record.FailureReason);
        Assert.InRange(clock.Elapsed.TotalSeconds, 4.5, 30);
        Assert.NotEqual(0, pid);
        Assert.False(IsRunning(pid));
    }

    [Fact]
    public async Task RunAsync_Cancelled_KillsTheWorkerAndThrows()
    {
        int pid = 0;
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(_ => cancellation.Cancel());
        ProcessTrialRunner runner = Runner(started: p => pid = p);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => runner.RunAsync(Request(Budget.Seconds(120), target: Unreachable), progress, cancellation.Token));

        Assert.NotEqual(0, pid);
        Assert.False(IsRunning(pid));
    }

    [Theory]
    [InlineData("digits-mlp; touch {0}")]
    [InlineData("digits-mlp && touch {0}")]
    [InlineData("$(touch {0})")]
    [InlineData("`touch {0}`")]
    public async Task RunAsync_SuiteNameWithShellMetacharacters_IsAnInputErrorAndRunsNothing(string template)
    {
        string marker = Path.Combine(Path.GetTempPath(), "tuner-pwned-" + Guid.NewGuid().ToString("N"));
        string name = string.Format(CultureInfo.InvariantCulture, template, marker);
        TrialRequest request = Request(Budget.Steps(20)) with { Suite = Digits with { Name = name, SourcePath = null } };

        TrialRecord record = await Runner().RunAsync(request, null, CancellationToken.None);

        Assert.Equal(TrialStatus.Failed, record.Status);
        Assert.False(ProcessTrialRunner.IsInfrastructureFailure(record), record.FailureReason);
        Assert.Contains("not found", record.FailureReason, StringComparison.Ordinal);
        Assert.Contains(name, record.FailureReason, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task RunAsync_WorkerMissing_IsAnInfrastructureFailureWithoutAProcess()
    {
        var runner = new ProcessTrialRunner(new ProcessTrialRunnerOptions { TunerDllPath = Path.Combine(Path.GetTempPath(), "no-such-dir", "tuner.dll") });

        TrialRecord record = await runner.RunAsync(Request(Budget.Steps(20)), null, CancellationToken.None);

        Assert.True(ProcessTrialRunner.IsInfrastructureFailure(record));
        Assert.Contains("not found", record.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkerRequest_RoundTrip_GivesTheSameTrial()
    {
        TrialRequest request = Request(Budget.Seconds(2.5), seed: 9, target: 0.95) with
        {
            Configuration = Digits.Baseline with { LearningRate = 0.05, Techniques = [Core.Configuration.TechniqueSpec.Of("ema")] },
            StopAtFraction = 0.5,
            ShouldStop = _ => false,
            Host = new TrialHost { Device = "cpu", Threads = 1, MemoryLimitBytes = 3L << 30 },
            PairWithReference = true,
        };

        string line = WorkerProtocol.Serialize(WorkerRequest.From(request));
        TrialRequest back = WorkerProtocol.DeserializeRequest(line).Trial;

        Assert.DoesNotContain('\n', line);
        Assert.Contains("\"suite\":\"digits-mlp\"", line, StringComparison.Ordinal);
        Assert.Contains("\"host_prunes\":true", line, StringComparison.Ordinal);
        Assert.Contains("\"budget\":{\"amount\":2.5,\"unit\":\"wall_clock\"}", line, StringComparison.Ordinal); // typed, not text to re-parse
        Assert.DoesNotContain("should_stop", line, StringComparison.Ordinal);
        Assert.Equal(request.Suite.ToString(), back.Suite.ToString()); // the same built-in suite (SuiteSpec holds arrays, compared by reference)
        Assert.Equal(request.Configuration, back.Configuration);
        Assert.Equal(request.Budget, back.Budget);
        Assert.Equal((request.Seed, request.Host, request.TargetValue, request.StopAtFraction), (back.Seed, back.Host, back.TargetValue, back.StopAtFraction));
        Assert.Equal(request.PairWithReference, back.PairWithReference);
        Assert.Null(back.ShouldStop);
        Assert.Equal(request with { Suite = back.Suite, ShouldStop = null }, back); // every other field of the one trial description
    }

    [Fact]
    public void WorkerRequest_OfAnotherProtocolVersion_IsOneLine()
    {
        string line = WorkerProtocol.Serialize(WorkerRequest.From(Request(Budget.Steps(5)))).Replace("\"version\":2", "\"version\":1", StringComparison.Ordinal);

        var ex = Assert.Throws<Core.Errors.TunerInputException>(() => WorkerProtocol.DeserializeRequest(line));

        OneLineAssert.Message(ex, "worker protocol version 1 is not supported", "different builds");
    }

    [Fact]
    public async Task MemoryLimit_TravelsToTheWorker_WhichEndsTheTrialOverMemory()
    {
        TrialRecord record = await Runner().RunAsync(Request(Budget.Steps(200), target: Unreachable) with { Host = new TrialHost { Device = "cpu", Threads = 1, MemoryLimitBytes = 64L << 20 } }, null, CancellationToken.None);

        Assert.Equal(TrialStatus.OverMemory, record.Status);
        Assert.Contains("64", record.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkerEvents_RoundTrip_AndStrayLinesAreNotEvents()
    {
        var progress = new WorkerProgress(5, 160, 0.1, 0.02, double.NaN, null, null);

        string line = WorkerProtocol.Serialize(progress);

        Assert.StartsWith("{\"event\":\"progress\"", line, StringComparison.Ordinal);
        WorkerProgress back = Assert.IsType<WorkerProgress>(WorkerProtocol.TryDeserializeEvent(line));
        Assert.True(double.IsNaN(back.TrainLoss));
        Assert.Equal(progress with { TrainLoss = 0 }, back with { TrainLoss = 0 });
        Assert.Null(WorkerProtocol.TryDeserializeEvent("libtorch: some warning"));
        Assert.Null(WorkerProtocol.TryDeserializeEvent("{\"event\":\"unheard-of\"}"));
        Assert.Equal(HostCommand.Stop, WorkerProtocol.TryDeserializeCommand(WorkerProtocol.Serialize(HostCommand.Stop)));
    }

    [Fact]
    public void LimitFor_WallClockBudgetIsTwiceItPlusGrace_OthersTheConfiguredLimit()
    {
        ProcessTrialRunner runner = Runner(otherLimit: TimeSpan.FromMinutes(7));

        Assert.Equal(TimeSpan.FromSeconds(66), runner.LimitFor(Budget.Seconds(3)));
        Assert.Equal(TimeSpan.FromMinutes(7), runner.LimitFor(Budget.Steps(50)));
        Assert.Equal(TimeSpan.FromMinutes(30), new ProcessTrialRunner().LimitFor(Budget.Epochs(2)));
    }

    [Theory]
    [InlineData(134, "aborted (signal 6, SIGABRT)")]
    [InlineData(137, "killed (signal 9; out of memory?)")]
    [InlineData(139, "segmentation fault (signal 11, SIGSEGV)")]
    [InlineData(3, "exited with code 3 without a result")]
    public void DescribeExit_NamesTheSignal(int code, string expected)
    {
        Assert.Equal(expected, ProcessTrialRunner.DescribeExit(code));
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
