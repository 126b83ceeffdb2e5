using System.Diagnostics;
using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Runner.Processes;
using Tuner.Runner.Search;
using Tuner.Runner.Tests.Search;
using Tuner.Search.Tuners;
using Tuner.Storage;

namespace Tuner.Runner.Tests.Faults;

/// <summary>Fault injection with real worker processes and a real SQLite store (loopback only, bounded).</summary>
public sealed class WorkerFaultTests(StudyFixture fixture) : IClassFixture<StudyFixture>
{
    [Fact]
    public async Task Search_WorkerKilledWithSigkillMidTrial_TrialIsRunAgainAndRecordedOnce()
    {
        int starts = 0;
        var killed = new List<int>();
        var processRunner = new ProcessTrialRunner(new ProcessTrialRunnerOptions
        {
            WorkerStarted = pid =>
            {
                if (Interlocked.Increment(ref starts) == 1)
                {
                    // The first worker dies mid-trial, as an out-of-memory kill would end it.
                    _ = Task.Delay(700).ContinueWith(_ =>
                    {
                        using Process victim = Process.GetProcessById(pid);
                        victim.Kill();
                        lock (killed)
                        {
                            killed.Add(pid);
                        }
                    }, TaskScheduler.Default);
                }
            },
        });
        var runner = new InfrastructureRetryRunner(processRunner, maxRetries: 2, firstDelay: TimeSpan.FromMilliseconds(50));
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("sigkill"));
        var options = fixture.Options("sigkill", trials: 2, budget: Budget.Seconds(2)) with { TargetValue = 1.0, CapFactor = 0, Prune = false };

        IReadOnlyList<TrialResult> results = await new StudyRunner(storage, runner).RunAsync(options, null, CancellationToken.None);

        Assert.Single(killed);
        Assert.Equal(2, results.Count);
        IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync((await new StudyRunner(storage, runner).OpenAsync(options, CancellationToken.None)).Study.Id, CancellationToken.None);
        Assert.Equal([0, 1], trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Finished, t.State));
        Assert.All(trials, t => Assert.Equal(TrialStatus.NotReached, t.Record!.Status)); // a real result, not the crash
        Assert.True(starts >= 3, $"the killed trial must have been started again (worker starts: {starts})");
    }

    [Fact]
    public async Task Search_WorkerThatKeepsCrashing_IsRecordedAsFailedWithTheReasonAndTheStudyGoesOn()
    {
        var runner = new InfrastructureRetryRunner(
            new ProcessTrialRunner(new ProcessTrialRunnerOptions { EnvironmentVariables = new Dictionary<string, string?> { ["TUNER_WORKER_FAULT"] = "abort" } }),
            maxRetries: 1,
            firstDelay: TimeSpan.FromMilliseconds(50));
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("abort"));
        var options = fixture.Options("abort", trials: 2, budget: Budget.Seconds(2));

        IReadOnlyList<TrialResult> results = await new StudyRunner(storage, runner).RunAsync(options, null, CancellationToken.None);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(TrialStatus.Failed, r.Status));
        IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(1, CancellationToken.None);
        Assert.All(trials, t => Assert.StartsWith(ProcessTrialRunner.InfrastructureFailurePrefix, t.Record!.FailureReason, StringComparison.Ordinal));
        Assert.All(trials, t => Assert.Contains("SIGABRT", t.Record!.FailureReason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_TwoWorkers_RunEveryTrialOnceWithDistinctNumbers()
    {
        var runner = new ProcessTrialRunner();
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("two"));
        var options = fixture.Options("two", trials: 6, budget: Budget.Steps(30)) with { Workers = 2 };

        IReadOnlyList<TrialResult> results = await new StudyRunner(storage, runner).RunAsync(options, null, CancellationToken.None);

        Assert.Equal(6, results.Count);
        IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(1, CancellationToken.None);
        Assert.Equal([0, 1, 2, 3, 4, 5], trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Finished, t.State));
        Assert.Equal(6, trials.Select(t => t.Plan.Configuration.ToString()).Distinct().Count());
        Assert.Equal(2, trials.Select(t => t.WorkerId).Distinct().Count());
    }
}
