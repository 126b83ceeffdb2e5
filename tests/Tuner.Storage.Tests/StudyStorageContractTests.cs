using System.Collections.Concurrent;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Tests.Results;
using Tuner.Core.Trials;

namespace Tuner.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="IStudyStorage"/> must have, run against each implementation by deriving from this
/// class and supplying <see cref="CreateStorageAsync"/>. All instances created in one test share one store, so the
/// same tests cover one instance and several (several processes or machines) on one store.
/// </summary>
public abstract class StudyStorageContractTests : IAsyncLifetime
{
    private readonly List<IStudyStorage> _opened = [];

    /// <summary>The clock every instance must use for its timestamps (starts 2026-01-01T00:00:00Z).</summary>
    private protected ManualTimeProvider Time { get; } = new();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (IStudyStorage storage in _opened)
        {
            await storage.DisposeAsync();
        }
    }

    [Fact]
    public async Task OpenStudyAsync_NewName_CreatesStudyThatReopensWithSameIdAndDefinition()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyDefinition definition = StorageTestData.Study();

        StudyInfo created = await storage.OpenStudyAsync(definition, CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(5));
        StudyInfo reopened = await (await OpenStorageAsync()).OpenStudyAsync(definition with { CreatedBy = "someone else" }, CancellationToken.None);

        Assert.Equal(definition, created.Definition);
        Assert.Equal(Time.GetUtcNow() - TimeSpan.FromMinutes(5), created.CreatedAt);
        Assert.Equal(created.Id, reopened.Id);
        Assert.Equal(created.CreatedAt, reopened.CreatedAt);
        Assert.Equal(definition, reopened.Definition);
    }

    [Fact]
    public async Task FindStudyAsync_ByName_ReturnsTheStoredDefinitionOrNull()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo created = await storage.OpenStudyAsync(StorageTestData.Study("joined"), CancellationToken.None);

        StudyInfo? found = await (await OpenStorageAsync()).FindStudyAsync("joined", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(created.Id, found.Id);
        Assert.Equal(created.Definition, found.Definition);
        Assert.Null(await storage.FindStudyAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public async Task ListStudiesAsync_Prefix_ReturnsMatchingStudiesOldestFirstWithLiteralPrefix()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo b = await storage.OpenStudyAsync(StorageTestData.Study("nightly/2026-11-30/b"), CancellationToken.None);
        await storage.OpenStudyAsync(StorageTestData.Study("other"), CancellationToken.None);
        StudyInfo a = await storage.OpenStudyAsync(StorageTestData.Study("nightly/2026-12-01/a"), CancellationToken.None);
        await storage.OpenStudyAsync(StorageTestData.Study("nightlyX%_"), CancellationToken.None);

        IReadOnlyList<StudyInfo> nightly = await (await OpenStorageAsync()).ListStudiesAsync("nightly/", CancellationToken.None);
        IReadOnlyList<StudyInfo> wildcard = await storage.ListStudiesAsync("nightly%", CancellationToken.None);
        IReadOnlyList<StudyInfo> all = await storage.ListStudiesAsync(string.Empty, CancellationToken.None);

        Assert.Equal([b.Id, a.Id], nightly.Select(s => s.Id));
        Assert.Equal(a.Definition, nightly[1].Definition);
        Assert.Empty(wildcard);
        Assert.Equal(4, all.Count);
    }

    [Fact]
    public async Task OpenStudyAsync_TwoNames_GetDistinctIdsAndSeparateNumbering()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo first = await storage.OpenStudyAsync(StorageTestData.Study("first"), CancellationToken.None);
        StudyInfo second = await storage.OpenStudyAsync(StorageTestData.Study("second"), CancellationToken.None);

        StoredTrial a0 = await storage.EnqueueTrialAsync(first.Id, StorageTestData.Plan(0), CancellationToken.None);
        StoredTrial b0 = await storage.EnqueueTrialAsync(second.Id, StorageTestData.Plan(1), CancellationToken.None);
        StoredTrial a1 = await storage.EnqueueTrialAsync(first.Id, StorageTestData.Plan(2), CancellationToken.None);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal([0, 0, 1], new[] { a0.Number, b0.Number, a1.Number });
        Assert.Equal(second.Id, b0.StudyId);
        Assert.Single(await storage.GetTrialsAsync(second.Id, CancellationToken.None));
    }

    [Theory]
    [InlineData("suite", "suite 'digits-mlp', not 'fashion-mlp'")]
    [InlineData("tuner", "tuner 'smac', not 'cfo'")]
    [InlineData("tuner_seed", "tuner seed 7, not 8")]
    [InlineData("budget", "budget '60s', not '30s'")]
    [InlineData("target_metric", "target 'accuracy >= 0.97', not 'loss >= 0.97'")]
    [InlineData("target_value", "target 'accuracy >= 0.97', not 'accuracy >= 0.98'")]
    [InlineData("space", "search space")]
    public async Task OpenStudyAsync_DifferentDefinition_ThrowsOneLineAndLeavesStoreUnchanged(string field, string expected)
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyDefinition original = StorageTestData.Study("digits-mlp-smac");
        StudyInfo study = await storage.OpenStudyAsync(original, CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        IReadOnlyList<StoredTrial> before = await storage.GetTrialsAsync(study.Id, CancellationToken.None);
        StudyDefinition changed = field switch
        {
            "suite" => original with { Suite = "fashion-mlp" },
            "tuner" => original with { Tuner = "cfo" },
            "tuner_seed" => original with { TunerSeed = 8 },
            "budget" => original with { Budget = Core.Budgets.Budget.Seconds(30) },
            "target_metric" => original with { TargetMetric = "loss" },
            "target_value" => original with { TargetValue = 0.98 },
            "space" => original with { SpaceJson = original.SpaceJson.Replace("0.5", "0.25", StringComparison.Ordinal) },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        var error = await Assert.ThrowsAsync<TunerInputException>(() => storage.OpenStudyAsync(changed, CancellationToken.None));

        OneLineAssert.Message(error, "study 'digits-mlp-smac'", expected, "--study");
        StudyInfo reopened = await (await OpenStorageAsync()).OpenStudyAsync(original, CancellationToken.None);
        Assert.Equal(study, reopened);
        StorageTestData.AssertSameTrials(before, await storage.GetTrialsAsync(study.Id, CancellationToken.None));
        StoredTrial next = await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(1), CancellationToken.None);
        Assert.Equal(1, next.Number);
    }

    [Fact]
    public async Task EnqueueTrialAsync_FiveTrials_NumbersZeroToFourWaitingWithPlans()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        var plans = Enumerable.Range(0, 5).Select(StorageTestData.Plan).ToList();

        var enqueued = new List<StoredTrial>();
        foreach (TrialPlan plan in plans)
        {
            enqueued.Add(await storage.EnqueueTrialAsync(study.Id, plan, CancellationToken.None));
        }

        IReadOnlyList<StoredTrial> stored = await (await OpenStorageAsync()).GetTrialsAsync(study.Id, CancellationToken.None);
        Assert.Equal([0, 1, 2, 3, 4], enqueued.Select(t => t.Number));
        Assert.Equal([0, 1, 2, 3, 4], stored.Select(t => t.Number));
        for (int i = 0; i < plans.Count; i++)
        {
            Assert.Equal(TrialState.Waiting, stored[i].State);
            Assert.Equal(study.Id, stored[i].StudyId);
            Assert.Equal(0, stored[i].Attempts);
            Assert.Null(stored[i].WorkerId);
            Assert.Null(stored[i].HeartbeatAt);
            Assert.Null(stored[i].Record);
            StorageTestData.AssertSamePlan(plans[i], stored[i].Plan);
        }
    }

    [Fact]
    public async Task EnqueueTrialAsync_FourInstancesConcurrently_NumbersDenseAndUnique()
    {
        StudyInfo study = await (await OpenStorageAsync()).OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        IStudyStorage[] storages = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenStorageAsync()));

        StoredTrial[][] results = await Task.WhenAll(storages.Select(s => Task.Run(async () =>
        {
            var mine = new List<StoredTrial>();
            for (int i = 0; i < 10; i++)
            {
                mine.Add(await s.EnqueueTrialAsync(study.Id, StorageTestData.Plan(i), CancellationToken.None));
            }

            return mine.ToArray();
        })));

        Assert.Equal(Enumerable.Range(0, 40), results.SelectMany(r => r).Select(t => t.Number).Order());
        Assert.Equal(Enumerable.Range(0, 40), (await storages[0].GetTrialsAsync(study.Id, CancellationToken.None)).Select(t => t.Number));
    }

    [Fact]
    public async Task ClaimTrialAsync_ThreeWaiting_ReturnsLowestFirstThenNull()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        for (int i = 0; i < 3; i++)
        {
            await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(i), CancellationToken.None);
        }

        Time.Advance(TimeSpan.FromSeconds(3));
        StoredTrial? first = await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        StoredTrial? second = await storage.ClaimTrialAsync(study.Id, "host:2", CancellationToken.None);
        StoredTrial? third = await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        StoredTrial? none = await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal(0, first.Number);
        Assert.Equal(TrialState.Running, first.State);
        Assert.Equal("host:1", first.WorkerId);
        Assert.Equal(1, first.Attempts);
        Assert.Equal(Time.GetUtcNow(), first.HeartbeatAt);
        StorageTestData.AssertSamePlan(StorageTestData.Plan(0), first.Plan);
        Assert.Equal(1, second?.Number);
        Assert.Equal("host:2", second?.WorkerId);
        Assert.Equal(2, third?.Number);
        Assert.Null(none);
        Assert.All(await storage.GetTrialsAsync(study.Id, CancellationToken.None), t => Assert.Equal(TrialState.Running, t.State));
    }

    [Fact]
    public async Task ClaimTrialAsync_NoTrials_ReturnsNull()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);

        Assert.Null(await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None));
    }

    [Fact]
    public async Task ClaimTrialAsync_FourInstancesConcurrentlyOverFiftyTrials_EachTrialClaimedExactlyOnce()
    {
        IStudyStorage setup = await OpenStorageAsync();
        StudyInfo study = await setup.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        for (int i = 0; i < 50; i++)
        {
            await setup.EnqueueTrialAsync(study.Id, StorageTestData.Plan(i), CancellationToken.None);
        }

        IStudyStorage[] storages = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenStorageAsync()));
        var claims = new ConcurrentBag<(int Number, string Worker)>();
        await Task.WhenAll(storages.Select((s, w) => Task.Run(async () =>
        {
            string worker = $"host:{w}";
            while (await s.ClaimTrialAsync(study.Id, worker, CancellationToken.None) is { } trial)
            {
                Assert.Equal(worker, trial.WorkerId);
                claims.Add((trial.Number, worker));
            }
        })));

        Assert.Equal(Enumerable.Range(0, 50), claims.Select(c => c.Number).Order());
        IReadOnlyList<StoredTrial> stored = await setup.GetTrialsAsync(study.Id, CancellationToken.None);
        Assert.All(stored, t =>
        {
            Assert.Equal(TrialState.Running, t.State);
            Assert.Equal(1, t.Attempts);
            Assert.Equal(claims.Single(c => c.Number == t.Number).Worker, t.WorkerId);
        });
    }

    [Fact]
    public async Task FourWorkersOverHundredShortTrials_ExactlyHundredResultsNoDuplicateNumbers()
    {
        IStudyStorage setup = await OpenStorageAsync();
        StudyInfo study = await setup.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        for (int i = 0; i < 100; i++)
        {
            await setup.EnqueueTrialAsync(study.Id, StorageTestData.Plan(i), CancellationToken.None);
        }

        IStudyStorage[] workers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenStorageAsync()));
        var finishedBy = new ConcurrentBag<(int Number, string RunId)>();
        await Task.WhenAll(workers.Select((s, w) => Task.Run(async () =>
        {
            string worker = $"host:{w}";
            while (await s.ClaimTrialAsync(study.Id, worker, CancellationToken.None) is { } trial)
            {
                string runId = $"{worker}-{trial.Number}";
                Assert.True(await s.HeartbeatAsync(study.Id, trial.Number, worker, CancellationToken.None));
                Assert.True(await s.FinishTrialAsync(study.Id, trial.Number, worker, StorageTestData.Record(TrialStatus.Reached) with { RunId = runId }, CancellationToken.None));
                finishedBy.Add((trial.Number, runId));
            }
        })));

        IReadOnlyList<StoredTrial> stored = await setup.GetTrialsAsync(study.Id, CancellationToken.None);
        Assert.Equal(100, finishedBy.Count);
        Assert.Equal(Enumerable.Range(0, 100), finishedBy.Select(f => f.Number).Order());
        Assert.Equal(Enumerable.Range(0, 100), stored.Select(t => t.Number));
        Assert.All(stored, t =>
        {
            Assert.Equal(TrialState.Finished, t.State);
            Assert.Equal(finishedBy.Single(f => f.Number == t.Number).RunId, t.Record!.RunId);
        });
    }

    [Fact]
    public async Task FinishTrialAsync_Owner_StoresFullRecordAndStateFinished()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        StoredTrial claimed = (await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None))!;
        TrialRecord record = StorageTestData.Record(TrialStatus.Reached);

        bool finished = await storage.FinishTrialAsync(study.Id, claimed.Number, "host:1", record, CancellationToken.None);

        Assert.True(finished);
        StoredTrial stored = Assert.Single(await (await OpenStorageAsync()).GetTrialsAsync(study.Id, CancellationToken.None));
        Assert.Equal(TrialState.Finished, stored.State);
        Assert.Equal("host:1", stored.WorkerId);
        Assert.Equal(1, stored.Attempts);
        Assert.NotNull(stored.Record);
        StorageTestData.AssertSameRecord(record, stored.Record);
        Assert.Null(await storage.ClaimTrialAsync(study.Id, "host:2", CancellationToken.None));
    }

    [Fact]
    public async Task FinishTrialAsync_TwiceBySameWorker_SecondReturnsFalseAndKeepsFirstRecord()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        await storage.FinishTrialAsync(study.Id, 0, "host:1", StorageTestData.Record(TrialStatus.Reached), CancellationToken.None);

        bool again = await storage.FinishTrialAsync(study.Id, 0, "host:1", StorageTestData.Record(TrialStatus.Failed), CancellationToken.None);

        Assert.False(again);
        StoredTrial stored = Assert.Single(await storage.GetTrialsAsync(study.Id, CancellationToken.None));
        Assert.Equal(TrialStatus.Reached, stored.Record?.Status);
    }

    [Fact]
    public async Task FinishTrialAsync_OtherWorker_ReturnsFalseAndChangesNothing()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(1), CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        IReadOnlyList<StoredTrial> before = await storage.GetTrialsAsync(study.Id, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(10));

        bool running = await storage.FinishTrialAsync(study.Id, 0, "host:2", StorageTestData.Record(TrialStatus.Reached), CancellationToken.None);
        bool waiting = await storage.FinishTrialAsync(study.Id, 1, "host:1", StorageTestData.Record(TrialStatus.Reached), CancellationToken.None);
        bool missing = await storage.FinishTrialAsync(study.Id, 7, "host:1", StorageTestData.Record(TrialStatus.Reached), CancellationToken.None);

        Assert.False(running);
        Assert.False(waiting);
        Assert.False(missing);
        StorageTestData.AssertSameTrials(before, await storage.GetTrialsAsync(study.Id, CancellationToken.None));
    }

    [Fact]
    public async Task HeartbeatAsync_Owner_MovesHeartbeatToNow()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(42));

        bool alive = await storage.HeartbeatAsync(study.Id, 0, "host:1", CancellationToken.None);

        Assert.True(alive);
        StoredTrial stored = Assert.Single(await storage.GetTrialsAsync(study.Id, CancellationToken.None));
        Assert.Equal(Time.GetUtcNow(), stored.HeartbeatAt);
        Assert.Equal(TrialState.Running, stored.State);
    }

    [Fact]
    public async Task HeartbeatAsync_OtherWorkerOrNotRunning_ReturnsFalseAndChangesNothing()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(1), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(2), CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        await storage.FinishTrialAsync(study.Id, 1, "host:1", StorageTestData.Record(TrialStatus.NotReached), CancellationToken.None);
        IReadOnlyList<StoredTrial> before = await storage.GetTrialsAsync(study.Id, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(await storage.HeartbeatAsync(study.Id, 0, "host:2", CancellationToken.None));
        Assert.False(await storage.HeartbeatAsync(study.Id, 1, "host:1", CancellationToken.None));
        Assert.False(await storage.HeartbeatAsync(study.Id, 2, "host:1", CancellationToken.None));
        Assert.False(await storage.HeartbeatAsync(study.Id, 9, "host:1", CancellationToken.None));

        StorageTestData.AssertSameTrials(before, await storage.GetTrialsAsync(study.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseTrialAsync_OwnClaim_ReturnsItToWaitingWithoutUsingAnAttempt_AndNotSomeoneElses()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(1), CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:me", CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:other", CancellationToken.None);

        bool mine = await storage.ReleaseTrialAsync(study.Id, 0, "host:me", "handed back: interrupted", CancellationToken.None);
        bool theirs = await storage.ReleaseTrialAsync(study.Id, 1, "host:me", "handed back: interrupted", CancellationToken.None);

        Assert.True(mine);
        Assert.False(theirs);
        IReadOnlyList<StoredTrial> stored = await storage.GetTrialsAsync(study.Id, CancellationToken.None);
        Assert.Equal(TrialState.Waiting, stored[0].State);
        Assert.Equal(0, stored[0].Attempts);
        Assert.Null(stored[0].WorkerId);
        Assert.Equal("handed back: interrupted", stored[0].Note);
        Assert.Equal(TrialState.Running, stored[1].State);
        StoredTrial again = (await storage.ClaimTrialAsync(study.Id, "host:me", CancellationToken.None))!;
        Assert.Equal(0, again.Number);
        Assert.Equal(1, again.Attempts);
    }

    [Fact]
    public async Task RequeueAbandonedAsync_DeadWorker_ReturnsTrialToWaitingKeepingAttemptsAndClaimableAgain()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(1), CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:dead", CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "host:alive", CancellationToken.None);
        var asked = new List<string>();

        IReadOnlyList<StoredTrial> moved = await storage.RequeueAbandonedAsync(
            study.Id, TimeSpan.FromMinutes(5), 3, w => { asked.Add(w); return w != "host:dead"; }, CancellationToken.None);

        StoredTrial requeued = Assert.Single(moved);
        Assert.Equal(0, requeued.Number);
        Assert.Equal(TrialState.Waiting, requeued.State);
        Assert.Equal(1, requeued.Attempts);
        Assert.Null(requeued.WorkerId);
        Assert.NotNull(requeued.Note);
        Assert.Contains("host:dead", requeued.Note, StringComparison.Ordinal);
        Assert.Contains("re-queued", requeued.Note, StringComparison.Ordinal);
        Assert.Contains("attempt 2 of 3", requeued.Note, StringComparison.Ordinal);
        Assert.Contains("host:alive", asked);
        IReadOnlyList<StoredTrial> stored = await storage.GetTrialsAsync(study.Id, CancellationToken.None);
        Assert.Equal(TrialState.Waiting, stored[0].State);
        Assert.Equal(TrialState.Running, stored[1].State);
        Assert.Equal("host:alive", stored[1].WorkerId);

        StoredTrial? again = await storage.ClaimTrialAsync(study.Id, "host:new", CancellationToken.None);
        Assert.Equal(0, again?.Number);
        Assert.Equal(2, again?.Attempts);
        Assert.Equal("host:new", again?.WorkerId);
        Assert.False(await storage.FinishTrialAsync(study.Id, 0, "host:dead", StorageTestData.Record(TrialStatus.Reached), CancellationToken.None));
        Assert.False(await storage.HeartbeatAsync(study.Id, 0, "host:dead", CancellationToken.None));
        Assert.True(await storage.FinishTrialAsync(study.Id, 0, "host:new", StorageTestData.Record(TrialStatus.Reached), CancellationToken.None));
    }

    [Fact]
    public async Task RequeueAbandonedAsync_StaleHeartbeat_RequeuesOnlyTheStaleTrial()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(1), CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "far:1", CancellationToken.None);
        await storage.ClaimTrialAsync(study.Id, "far:2", CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(4));
        await storage.HeartbeatAsync(study.Id, 1, "far:2", CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(2));

        IReadOnlyList<StoredTrial> moved = await storage.RequeueAbandonedAsync(study.Id, TimeSpan.FromMinutes(5), 3, null, CancellationToken.None);

        StoredTrial requeued = Assert.Single(moved);
        Assert.Equal(0, requeued.Number);
        Assert.Equal(TrialState.Waiting, requeued.State);
        Assert.Contains("far:1", requeued.Note, StringComparison.Ordinal);
        Assert.Empty(await storage.RequeueAbandonedAsync(study.Id, TimeSpan.FromMinutes(5), 3, null, CancellationToken.None));
        Assert.True(await storage.HeartbeatAsync(study.Id, 1, "far:2", CancellationToken.None));
    }

    [Fact]
    public async Task RequeueAbandonedAsync_NothingRunning_ReturnsEmptyAndDoesNotAskAboutWorkers()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);

        IReadOnlyList<StoredTrial> moved = await storage.RequeueAbandonedAsync(
            study.Id, TimeSpan.FromMinutes(5), 3, _ => throw new InvalidOperationException("must not be asked"), CancellationToken.None);

        Assert.Empty(moved);
    }

    [Fact]
    public async Task RequeueAbandonedAsync_MaxAttemptsReached_AbandonsTrialWithNote()
    {
        IStudyStorage storage = await OpenStorageAsync();
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), CancellationToken.None);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), CancellationToken.None);
        Func<string, bool> dead = _ => false;

        await storage.ClaimTrialAsync(study.Id, "host:1", CancellationToken.None);
        StoredTrial first = Assert.Single(await storage.RequeueAbandonedAsync(study.Id, TimeSpan.FromMinutes(5), 2, dead, CancellationToken.None));
        await storage.ClaimTrialAsync(study.Id, "host:2", CancellationToken.None);
        StoredTrial second = Assert.Single(await storage.RequeueAbandonedAsync(study.Id, TimeSpan.FromMinutes(5), 2, dead, CancellationToken.None));

        Assert.Equal(TrialState.Waiting, first.State);
        Assert.Equal(TrialState.Abandoned, second.State);
        Assert.Equal(2, second.Attempts);
        Assert.Null(second.Record);
        Assert.NotNull(second.Note);
        Assert.Contains("host:2", second.Note, StringComparison.Ordinal);
        Assert.Contains("abandoned", second.Note, StringComparison.Ordinal);
        Assert.Null(await storage.ClaimTrialAsync(study.Id, "host:3", CancellationToken.None));
        Assert.False(await storage.FinishTrialAsync(study.Id, 0, "host:2", StorageTestData.Record(TrialStatus.Reached), CancellationToken.None));
        StoredTrial stored = Assert.Single(await storage.GetTrialsAsync(study.Id, CancellationToken.None));
        Assert.Equal(TrialState.Abandoned, stored.State);
        Assert.Equal(second.Note, stored.Note);
    }

    [Fact]
    public async Task GetTrialsAsync_UnknownStudy_ReturnsEmpty()
    {
        IStudyStorage storage = await OpenStorageAsync();

        Assert.Empty(await storage.GetTrialsAsync(12345, CancellationToken.None));
    }

    /// <summary>Opens a new instance on this test's store; the store is the same for every call within one test.</summary>
    protected abstract Task<IStudyStorage> CreateStorageAsync();

    /// <summary>Opens an instance with <see cref="CreateStorageAsync"/> and disposes it after the test.</summary>
    protected async Task<IStudyStorage> OpenStorageAsync()
    {
        IStudyStorage storage = await CreateStorageAsync();
        lock (_opened)
        {
            _opened.Add(storage);
        }

        return storage;
    }
}

/// <summary>Studies, plans and records with every field set, and comparisons that look inside their lists.</summary>
internal static class StorageTestData
{
    public const string SpaceJson =
        """{"parameters":[{"name":"lr","kind":"log_float","low":0.001,"high":0.5},{"name":"mixup","kind":"technique","options":{"alpha":"0.5"}}]}""";

    public static StudyDefinition Study(string name = "digits-mlp-smac") => new()
    {
        Name = name,
        Suite = "digits-mlp",
        Tuner = "smac",
        TunerSeed = 7,
        Budget = Core.Budgets.Budget.Seconds(60),
        TargetMetric = "accuracy",
        TargetValue = 0.97,
        SpaceJson = SpaceJson,
        CreatedBy = "tuner 1.0 study run",
    };

    public static TrialPlan Plan(int i) => new(
        new TrainingConfiguration
        {
            Optimizer = i % 2 == 0 ? "adamw" : "sgd",
            LearningRate = 0.1 / (i + 3),
            BatchSize = 32 + i,
            Momentum = 0.8,
            WeightDecay = 1e-4 * i,
            EvalEverySamples = 25,
            Techniques =
            [
                new TechniqueSpec("label_smoothing", new Dictionary<string, string> { ["alpha"] = "0.1", ["schedule"] = "cosine \"q\" é" }),
                TechniqueSpec.Of("warmup"),
            ],
        },
        [1.0 / 3.0, 0.1 * i, 0.999999999999],
        i % 3 == 0 ? 1.0 : 1.0 / 3.0,
        i % 2 == 0 ? $"rung-{i}" : null,
        1_000_000_000_000L + i);

    /// <summary>A record with every field set (the Core tests' builder), carrying this data's configuration.</summary>
    public static TrialRecord Record(TrialStatus status) =>
        TrialRecords.Full(status: status) with { Configuration = Plan(4).Configuration };

    public static void AssertSamePlan(TrialPlan expected, TrialPlan actual)
    {
        Assert.Equal(expected.Configuration, actual.Configuration);
        Assert.Equal(expected.Unit, actual.Unit);
        Assert.Equal(expected.Fidelity, actual.Fidelity);
        Assert.Equal(expected.Tag, actual.Tag);
        Assert.Equal(expected.Seed, actual.Seed);
    }

    public static void AssertSameRecord(TrialRecord expected, TrialRecord actual) => TrialRecords.AssertSame(expected, actual);

    /// <summary>Asserts two snapshots of a study's trials are equal field by field (plans and records included).</summary>
    public static void AssertSameTrials(IReadOnlyList<StoredTrial> expected, IReadOnlyList<StoredTrial> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            StoredTrial e = expected[i];
            StoredTrial a = actual[i];
            Assert.Equal(e.StudyId, a.StudyId);
            Assert.Equal(e.Number, a.Number);
            Assert.Equal(e.State, a.State);
            AssertSamePlan(e.Plan, a.Plan);
            Assert.Equal(e.Attempts, a.Attempts);
            Assert.Equal(e.WorkerId, a.WorkerId);
            Assert.Equal(e.HeartbeatAt, a.HeartbeatAt);
            Assert.Equal(e.Note, a.Note);
            Assert.Equal(e.Record is null, a.Record is null);
            if (e.Record is not null && a.Record is not null)
            {
                AssertSameRecord(e.Record, a.Record);
            }
        }
    }
}
