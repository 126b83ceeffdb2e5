using Tuner.Core.Budgets;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Runner.Search;
using Tuner.Search.Tuners;
using Tuner.Storage;

namespace Tuner.Runner.Tests.Search;

public sealed class StudyRunnerTests(StudyFixture fixture) : IClassFixture<StudyFixture>
{
    [Fact]
    public async Task RunAsync_RandomTunerOnDigits_StoresEveryTrialOnceWithItsRecord()
    {
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("basic"));
        var runner = new StudyRunner(storage, fixture.Runner);

        IReadOnlyList<TrialResult> results = await runner.RunAsync(fixture.Options("basic"), null, CancellationToken.None);

        Assert.Equal(4, results.Count);
        StudySession session = await runner.OpenAsync(fixture.Options("basic"), CancellationToken.None);
        IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(session.Study.Id, CancellationToken.None);
        Assert.Equal([0, 1, 2, 3], trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Finished, t.State));
        Assert.All(trials, t => Assert.Equal(t.Plan.Configuration, t.Record!.Configuration));
        Assert.Equal(4, trials.Select(t => t.Plan.Configuration.ToString()).Distinct().Count());
        Assert.Contains(trials, t => t.Record!.Status == TrialStatus.Reached);
    }

    [Fact]
    public async Task RunAsync_RunAgainWithMoreTrials_ContinuesWithoutRepeatingFinishedTrials()
    {
        string path = fixture.StorePath("resume");
        IReadOnlyList<StoredTrial> first;
        await using (var storage = await StudyFixture.OpenAsync(path))
        {
            var runner = new StudyRunner(storage, fixture.Runner);
            await runner.RunAsync(fixture.Options("resume", trials: 3), null, CancellationToken.None);
            first = await storage.GetTrialsAsync((await runner.OpenAsync(fixture.Options("resume"), CancellationToken.None)).Study.Id, CancellationToken.None);
        }

        await using (var storage = await StudyFixture.OpenAsync(path))
        {
            var runner = new StudyRunner(storage, fixture.Runner);
            IReadOnlyList<TrialResult> results = await runner.RunAsync(fixture.Options("resume", trials: 5), null, CancellationToken.None);
            IReadOnlyList<StoredTrial> all = await storage.GetTrialsAsync((await runner.OpenAsync(fixture.Options("resume"), CancellationToken.None)).Study.Id, CancellationToken.None);

            Assert.Equal(5, results.Count);
            Assert.Equal(5, all.Count);
            Assert.Equal(first.Select(t => t.Record!.RunId), all.Take(3).Select(t => t.Record!.RunId));
            Assert.Equal(5, all.Select(t => t.Plan.Configuration.ToString()).Distinct().Count());
        }
    }

    [Fact]
    public async Task RunAsync_TwoProcessesWithTrialsThreeOnOneStudy_RunThreeInAllNotThreeEach()
    {
        string path = fixture.StorePath("shared-limit");
        var options = fixture.Options("shared-limit", trials: 3, budget: Budget.Steps(30)) with { TargetValue = 0.999 };
        await using var a = await StudyFixture.OpenAsync(path);
        await using var b = await StudyFixture.OpenAsync(path);
        using var runnerB = new InProcessTrialRunner();

        await Task.WhenAll(
            Task.Run(() => new StudyRunner(a, fixture.Runner).RunAsync(options, null, CancellationToken.None)),
            Task.Run(() => new StudyRunner(b, runnerB).RunAsync(options, null, CancellationToken.None)));

        long id = (await new StudyRunner(a, fixture.Runner).OpenAsync(options, CancellationToken.None)).Study.Id;
        IReadOnlyList<StoredTrial> trials = await a.GetTrialsAsync(id, CancellationToken.None);
        Assert.Equal([0, 1, 2], trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Finished, t.State));
    }

    [Fact]
    public async Task RunAsync_SameSeedInTwoStudies_ProposesTheSameConfigurations()
    {
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("determinism"));
        var runner = new StudyRunner(storage, fixture.Runner);

        IReadOnlyList<TrialResult> a = await runner.RunAsync(fixture.Options("det-a", trials: 3), null, CancellationToken.None);
        IReadOnlyList<TrialResult> b = await runner.RunAsync(fixture.Options("det-b", trials: 3), null, CancellationToken.None);

        Assert.Equal(a.Select(r => r.Proposal.Candidate.Key), b.Select(r => r.Proposal.Candidate.Key));
    }

    [Fact]
    public async Task RunAsync_CancelledMidTrial_RequeuesThatTrialAndTheNextRunFinishesIt()
    {
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("cancel"));
        var runner = new StudyRunner(storage, fixture.Runner);
        // Target 1.0 is never reached, so trials run their whole 2 s; cancel once trial 1 is training.
        var options = fixture.Options("cancel", trials: 3, budget: Budget.Seconds(2)) with { TargetValue = 1.0, CapFactor = 0, Prune = false };
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.CurrentNumber == 1 && p.Training is { Step: > 50 })
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(options, progress, cancel.Token));

        long id = (await runner.OpenAsync(options, CancellationToken.None)).Study.Id;
        IReadOnlyList<StoredTrial> interrupted = await storage.GetTrialsAsync(id, CancellationToken.None);
        Assert.Equal(TrialState.Finished, interrupted[0].State);
        Assert.Equal(TrialState.Waiting, interrupted[1].State);
        Assert.Null(interrupted[1].Record);
        Assert.Contains("handed back", interrupted[1].Note, StringComparison.Ordinal);
        Assert.Equal(0, interrupted[1].Attempts); // an interruption does not use up a retry

        IReadOnlyList<TrialResult> results = await runner.RunAsync(options, null, CancellationToken.None);
        IReadOnlyList<StoredTrial> after = await storage.GetTrialsAsync(id, CancellationToken.None);

        Assert.Equal(3, results.Count);
        Assert.Equal(3, after.Count);
        Assert.Equal(interrupted[0].Record!.RunId, after[0].Record!.RunId);
        Assert.Equal(interrupted[1].Plan.Configuration, after[1].Plan.Configuration);
        Assert.Equal(1, after[1].Attempts); // the interrupted attempt was handed back, not counted
        Assert.All(after, t => Assert.Equal(TrialState.Finished, t.State));
    }

    [Fact]
    public async Task RunAsync_TrialOfAWorkerThatDied_IsRerunNotCounted()
    {
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("dead"));
        var options = fixture.Options("dead", trials: 2);
        var runner = new StudyRunner(storage, fixture.Runner);
        StudySession session = await runner.OpenAsync(options, CancellationToken.None);
        var plan = new TrialPlan(options.Suite.Baseline, session.Space.Encode(options.Suite.Baseline)!.Unit, 1.0, null, 0);
        await storage.EnqueueTrialAsync(session.Study.Id, plan, CancellationToken.None);
        string dead = WorkerIdentity.Format(Environment.MachineName, int.MaxValue - 7, 1);
        Assert.NotNull(await storage.ClaimTrialAsync(session.Study.Id, dead, CancellationToken.None));

        await runner.RunAsync(options, null, CancellationToken.None);

        IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(session.Study.Id, CancellationToken.None);
        Assert.Equal(2, trials.Count);
        Assert.Equal(TrialState.Finished, trials[0].State);
        Assert.Equal(2, trials[0].Attempts);
        Assert.NotEqual(dead, trials[0].WorkerId);
    }

    [Fact]
    public async Task RunAsync_PruningAndCapping_StopHopelessTrialsAsPruned()
    {
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("cap"));
        var runner = new StudyRunner(storage, fixture.Runner);
        var options = fixture.Options("cap", trials: 8, budget: Budget.Seconds(5)) with { CapFactor = 1.0 };

        IReadOnlyList<TrialResult> results = await runner.RunAsync(options, null, CancellationToken.None);

        Assert.All(results.Where(r => r.Status == TrialStatus.Pruned), r => Assert.True(r.CostSeconds < 5 * 0.9, "a pruned or capped trial stops before its budget"));
        foreach (TrialResult r in results.Where(r => !r.Reached))
        {
            double? bestBefore = results.Where(e => e.Number < r.Number && e.Reached).Select(e => e.TimeToTargetSeconds).Min();
            if (bestBefore is double cap)
            {
                Assert.True(r.CostSeconds <= cap + 0.1, $"trial {r.Number} ran {r.CostSeconds:0.00}s, past the cap of {cap:0.00}s");
            }
        }
    }

    [Fact]
    public async Task OpenAsync_SameStudyWithAnotherSuite_IsAOneLineInputErrorAndKeepsTheTrials()
    {
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("suite"));
        var runner = new StudyRunner(storage, fixture.Runner);
        await runner.RunAsync(fixture.Options("suite", trials: 1), null, CancellationToken.None);
        var other = fixture.Options("suite") with { Suite = fixture.Suite with { Name = "digits-resmlp" } };

        var ex = await Assert.ThrowsAsync<TunerInputException>(() => runner.OpenAsync(other, CancellationToken.None));

        OneLineAssert.Message(ex, "digits-mlp", "digits-resmlp");
        long id = (await runner.OpenAsync(fixture.Options("suite"), CancellationToken.None)).Study.Id;
        Assert.Single(await storage.GetTrialsAsync(id, CancellationToken.None));
    }

    /// <summary>Calls back synchronously on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<StudyProgress> action) : IProgress<StudyProgress>
    {
        public void Report(StudyProgress value) => action(value);
    }
}
