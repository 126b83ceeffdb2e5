using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;
using Tuner.Core.Errors;
using Tuner.Core.Results;
using Tuner.Core.Trials;
using Tuner.Storage.Postgres;
using Tuner.Storage.Resilience;
using Tuner.Storage.Sqlite;
using Tuner.Storage.Tests.Postgres;
using Tuner.Tests;
using Xunit.Abstractions;

namespace Tuner.Storage.Tests.Faults;

/// <summary>
/// Fault injection against the private PostgreSQL server (<see cref="PostgresServer"/>, loopback only): the server
/// restarted under working runners, down for longer than the retries last, and sessions killed in the middle of
/// finishing trials. What must hold: the retry layer (<see cref="ResilientStudyStorage"/>) carries the workers over
/// the outage, no trial is lost or finished twice, errors are one line without the password, and a trial is either
/// finished with its whole record or not finished at all. Each test is bounded (well under 60 s) and leaves the
/// server running for the other tests of the collection.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(50);

    private readonly PostgresServer _server;
    private readonly ITestOutputHelper _output;
    private string? _database;

    public PostgresRestartTests(PostgresServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    private string Database => _database ?? throw new InvalidOperationException("no test database yet");

    private string Url => _server.Url(Database);

    public async Task InitializeAsync()
    {
        await _server.StartAsync(); // in case an earlier test failed with the server stopped
        _database = await _server.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.StartAsync();
        if (_database is not null)
        {
            await _server.DropDatabaseAsync(_database);
        }
    }

    [Fact]
    public async Task RestartDuringStudy_WorkersCarryOn_NoTrialLostOrDuplicated()
    {
        const int TrialCount = 40;
        const int WorkerCount = 3;
        using var limit = new CancellationTokenSource(TestLimit);
        CancellationToken ct = limit.Token;
        var retries = new ConcurrentQueue<string>();
        var options = new StorageResilienceOptions
        {
            FirstDelay = TimeSpan.FromMilliseconds(100),
            MaxRetries = 10, // 0.1 + 0.2 + ... + 51 s of backoff: far longer than a restart of a few seconds
            CallTimeout = TimeSpan.FromSeconds(10),
        };

        await using var monitor = new ResilientStudyStorage(await PostgresStudyStorage.OpenAsync(Url, TimeProvider.System, ct), options, retries.Enqueue);
        StudyInfo study = await monitor.OpenStudyAsync(StorageTestData.Study(), ct);
        for (int i = 0; i < TrialCount; i++)
        {
            await monitor.EnqueueTrialAsync(study.Id, StorageTestData.Plan(i), ct);
        }

        var workers = new ResilientStudyStorage[WorkerCount];
        for (int w = 0; w < WorkerCount; w++)
        {
            workers[w] = new ResilientStudyStorage(await PostgresStudyStorage.OpenAsync(Url, TimeProvider.System, ct), options, retries.Enqueue);
        }

        // Every record a worker tried to store (its run id names worker, trial and claim), the finishes that
        // returned true, and what went wrong inside the loops.
        var written = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var finishedBy = new ConcurrentDictionary<int, string>();
        var duplicates = new ConcurrentQueue<string>();
        var crashes = new ConcurrentQueue<Exception>();
        int lostHeartbeats = 0;
        int refusedFinishes = 0;
        int requeued = 0;
        var firstFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task WorkAsync(int w, IStudyStorage storage)
        {
            string workerId = string.Create(CultureInfo.InvariantCulture, $"restart-host:{w}");
            try
            {
                while (await storage.ClaimTrialAsync(study.Id, workerId, ct) is { } trial)
                {
                    Assert.Equal(TrialState.Running, trial.State);
                    Assert.Equal(workerId, trial.WorkerId);
                    await Task.Delay(TimeSpan.FromMilliseconds(50), ct); // the "trial"
                    if (!await storage.HeartbeatAsync(study.Id, trial.Number, workerId, ct))
                    {
                        Interlocked.Increment(ref lostHeartbeats); // re-queued meanwhile: not ours any more
                        continue;
                    }

                    string runId = string.Create(CultureInfo.InvariantCulture, $"{workerId}/trial-{trial.Number}/claim-{trial.Attempts}");
                    written[runId] = trial.Number;
                    TrialRecord record = StorageTestData.Record(TrialStatus.Reached) with { RunId = runId };
                    if (await storage.FinishTrialAsync(study.Id, trial.Number, workerId, record, ct))
                    {
                        if (!finishedBy.TryAdd(trial.Number, runId))
                        {
                            duplicates.Enqueue($"trial {trial.Number} finished by {finishedBy[trial.Number]} and again by {runId}");
                        }

                        firstFinish.TrySetResult();
                    }
                    else
                    {
                        // Not ours any more, or our own commit whose reply the restart swallowed (the retry then
                        // finds the trial finished already): the check below tells which.
                        Interlocked.Increment(ref refusedFinishes);
                    }
                }
            }
            catch (Exception ex)
            {
                crashes.Enqueue(ex);
            }
        }

        // The restart begins as soon as the first trial is finished, while the workers are busy with the other 39,
        // and keeps the port closed for a second (connection refused), then the server starts up again.
        Task restart = Task.Run(
            async () =>
            {
                await firstFinish.Task.WaitAsync(ct);
                await _server.RestartAsync(TimeSpan.FromSeconds(1));
            },
            ct);

        try
        {
            for (int round = 0; ; round++)
            {
                Assert.True(round < 5, "the trials were not all finished after 5 rounds of work and re-queueing");
                await Task.WhenAll(workers.Select((storage, w) => WorkAsync(w, storage)));
                await restart;
                Assert.True(crashes.IsEmpty, "a worker crashed: " + string.Join(" | ", crashes.Select(e => e.ToString())));

                IReadOnlyList<StoredTrial> trials = await monitor.GetTrialsAsync(study.Id, ct);
                Assert.DoesNotContain(trials, t => t.State == TrialState.Waiting); // the loops stop only when none waits
                if (!trials.Any(t => t.State == TrialState.Running))
                {
                    break;
                }

                // A claim committed by the server whose reply was lost in the restart: the trial is running for a
                // worker that never saw it. Its heartbeat goes stale and it is re-queued, then worked again.
                await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
                requeued += (await monitor.RequeueAbandonedAsync(study.Id, TimeSpan.FromMilliseconds(200), maxAttempts: 10, isWorkerAlive: null, ct)).Count;
            }

            _output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{retries.Count} retries, {finishedBy.Count} finishes acknowledged, {refusedFinishes} refused, {lostHeartbeats} heartbeats refused, {requeued} re-queued"));
            foreach (string line in retries.Take(5))
            {
                _output.WriteLine(line);
            }

            Assert.True(restart.IsCompletedSuccessfully);
            Assert.NotEmpty(retries); // the workers did meet the restart, and the retry layer carried them over it
            Assert.All(retries, line => Assert.DoesNotContain('\n', line));
            Assert.All(retries, line => Assert.DoesNotContain(PostgresServer.PasswordMarker, line, StringComparison.Ordinal));
            Assert.True(duplicates.IsEmpty, string.Join(" | ", duplicates));

            IReadOnlyList<StoredTrial> final = await monitor.GetTrialsAsync(study.Id, ct);
            Assert.Equal(Enumerable.Range(0, TrialCount), final.Select(t => t.Number));
            foreach (StoredTrial trial in final)
            {
                Assert.Equal(TrialState.Finished, trial.State);
                Assert.NotNull(trial.Record);
                string runId = trial.Record.RunId;

                // The record is one that a worker wrote for this very trial, from the claim that finished it ...
                Assert.True(written.TryGetValue(runId, out int number), $"trial {trial.Number} holds run id {runId}, which no worker wrote");
                Assert.Equal(trial.Number, number);
                Assert.StartsWith(trial.WorkerId + "/", runId, StringComparison.Ordinal);
                Assert.EndsWith(string.Create(CultureInfo.InvariantCulture, $"/claim-{trial.Attempts}"), runId, StringComparison.Ordinal);

                // ... the one whose finish returned true, if any did (else a finish whose reply the restart lost) ...
                if (finishedBy.TryGetValue(trial.Number, out string? acknowledged))
                {
                    Assert.Equal(acknowledged, runId);
                }

                // ... and whole.
                StorageTestData.AssertSameRecord(StorageTestData.Record(TrialStatus.Reached) with { RunId = runId }, trial.Record);
            }

            Assert.True(
                finishedBy.Count + refusedFinishes >= TrialCount,
                $"{finishedBy.Count} finishes acknowledged and {refusedFinishes} refused for {TrialCount} trials ({requeued} re-queued, {lostHeartbeats} heartbeats refused)");
        }
        finally
        {
            firstFinish.TrySetCanceled(); // a restart not begun yet is called off; one under way is waited for
            await restart.ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (ResilientStudyStorage worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ServerDownLongerThanRetries_FailsWithOneLineTransientErrorNoPassword()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        CancellationToken ct = limit.Token;
        var retries = new ConcurrentQueue<string>();
        var options = new StorageResilienceOptions
        {
            FirstDelay = TimeSpan.FromMilliseconds(50),
            MaxRetries = 2,
            CallTimeout = TimeSpan.FromSeconds(10),
        };
        await using var storage = new ResilientStudyStorage(await PostgresStudyStorage.OpenAsync(Url, TimeProvider.System, ct), options, retries.Enqueue);
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), ct);
        await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(0), ct); // the pool now holds a live connection

        Exception error;
        await _server.StopAsync();
        try
        {
            error = await Assert.ThrowsAnyAsync<Exception>(() => storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(1), ct));
        }
        finally
        {
            await _server.StartAsync();
        }

        OneLineAssert.Message(error, "cannot connect to " + _server.DisplayName(Database));
        Assert.IsType<TunerInputException>(error);
        Assert.True(StorageErrors.IsTransient(error), "a server that is down is a transient failure: " + error);
        AssertNoPassword(error);
        Assert.Equal(2, retries.Count);
        Assert.All(retries, line =>
        {
            Assert.DoesNotContain('\n', line);
            AssertNoPassword(line);
        });

        // The same instance works again once the server is back: its pool drops the dead connections.
        StoredTrial next = await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(1), ct);
        Assert.Equal(1, next.Number);
        StoredTrial? claimed = await storage.ClaimTrialAsync(study.Id, "after-restart:1", ct);
        Assert.Equal(0, claimed?.Number);
        Assert.True(await storage.FinishTrialAsync(study.Id, 0, "after-restart:1", StorageTestData.Record(TrialStatus.Reached), ct));
        Assert.Equal(
            new[] { TrialState.Finished, TrialState.Waiting },
            (await storage.GetTrialsAsync(study.Id, ct)).Select(t => t.State));
    }

    [Fact]
    public async Task KilledMidFinish_NeverLeavesHalfAResult()
    {
        const int TrialCount = 150;
        using var limit = new CancellationTokenSource(TestLimit);
        CancellationToken ct = limit.Token;
        var retries = new ConcurrentQueue<string>();
        var options = new StorageResilienceOptions
        {
            FirstDelay = TimeSpan.FromMilliseconds(10),
            MaxRetries = 20,
            CallTimeout = TimeSpan.FromSeconds(10),
        };

        // A big record (a long curve: a few hundred kB of JSON) keeps each finish in flight long enough to be hit.
        EvaluationPoint[] curve = [.. Enumerable.Range(1, 1500).Select(i => new EvaluationPoint(i * 10, i * 320, i * 0.01, 0.5 + (i * 1e-4), 1.0 / i, 2.0 / i))];
        TrialRecord Record(int number) => StorageTestData.Record(TrialStatus.NotReached) with
        {
            RunId = string.Create(CultureInfo.InvariantCulture, $"killed/trial-{number}"),
            Curve = curve,
        };

        var acknowledged = new ConcurrentDictionary<int, bool>();
        await using var storage = new ResilientStudyStorage(await PostgresStudyStorage.OpenAsync(Url, TimeProvider.System, ct), options, retries.Enqueue);
        StudyInfo study = await storage.OpenStudyAsync(StorageTestData.Study(), ct);
        for (int i = 0; i < TrialCount; i++)
        {
            await storage.EnqueueTrialAsync(study.Id, StorageTestData.Plan(i), ct);
        }

        using var workerDone = new CancellationTokenSource();
        Task worker = Task.Run(
            async () =>
            {
                try
                {
                    while (await storage.ClaimTrialAsync(study.Id, "killed:1", ct) is { } trial)
                    {
                        if (await storage.FinishTrialAsync(study.Id, trial.Number, "killed:1", Record(trial.Number), ct))
                        {
                            acknowledged[trial.Number] = true;
                        }
                    }
                }
                finally
                {
                    await workerDone.CancelAsync();
                }
            },
            ct);

        // The killer: terminates the worker's session, preferably while it runs the finishing UPDATE, at most
        // MaxKills times.
        const int MaxKills = 40;
        int kills = 0;
        int killsMidFinish = 0;
        await using (var admin = new NpgsqlConnection(_server.ConnectionString(Database)))
        {
            await admin.OpenAsync(ct);
            await using var find = new NpgsqlCommand(
                "SELECT pid, coalesce(state = 'active' AND query LIKE 'UPDATE tuner.trials SET state = ''finished''%', false) FROM pg_stat_activity " +
                "WHERE datname = current_database() AND application_name = 'tuner' AND pid <> pg_backend_pid() ORDER BY 2 DESC LIMIT 1",
                admin);
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
            NpgsqlParameter pid = kill.Parameters.Add(new NpgsqlParameter("pid", NpgsqlTypes.NpgsqlDbType.Integer));
            int lastKillAt = -2;
            for (int poll = 0; !workerDone.IsCancellationRequested && kills < MaxKills; poll++)
            {
                int? victim = null;
                bool midFinish = false;
                await using (NpgsqlDataReader reader = await find.ExecuteReaderAsync(ct))
                {
                    if (await reader.ReadAsync(ct))
                    {
                        victim = reader.GetInt32(0);
                        midFinish = !reader.IsDBNull(1) && reader.GetBoolean(1);
                    }
                }

                // A finish caught in flight is killed, and now and then the session whatever it does (a claim, or
                // idle in the pool), but only after two more finishes went through since the last kill: the retries
                // always get on, and the kills are spread over the study.
                if (victim is { } target && acknowledged.Count >= lastKillAt + 2 && (midFinish || poll % 50 == 0))
                {
                    lastKillAt = acknowledged.Count;
                    pid.Value = target;
                    if (await kill.ExecuteScalarAsync(ct) is true)
                    {
                        kills++;
                        killsMidFinish += midFinish ? 1 : 0;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 80)), ct);
                }
                else
                {
                    await Task.Delay(1, ct);
                }
            }

            await worker; // rethrows a crash of the worker: the retries must carry it over every kill
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kills} sessions killed ({killsMidFinish} mid-finish), {retries.Count} retries, {acknowledged.Count} finishes acknowledged"));
        foreach (string line in retries.Take(5))
        {
            _output.WriteLine(line);
        }

        Assert.True(kills > 0, "the killer never terminated the worker's session");
        Assert.True(killsMidFinish > 0, "the killer never caught a finish in flight");
        Assert.NotEmpty(retries);

        // Read the rows directly: each is either finished with a whole record and its status, or not finished at all.
        var states = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var raw = new NpgsqlConnection(_server.ConnectionString(Database)))
        {
            await raw.OpenAsync(ct);
            await using var select = new NpgsqlCommand(
                "SELECT number, state, status, record_json::text, finished_at FROM tuner.trials WHERE study_id = @study ORDER BY number", raw);
            select.Parameters.AddWithValue("study", study.Id);
            await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(ct);
            var numbers = new List<int>();
            while (await reader.ReadAsync(ct))
            {
                int number = reader.GetInt32(0);
                string state = reader.GetString(1);
                string? status = reader.IsDBNull(2) ? null : reader.GetString(2);
                string? json = reader.IsDBNull(3) ? null : reader.GetString(3);
                bool hasFinishedAt = !reader.IsDBNull(4);
                numbers.Add(number);
                if (state != "finished")
                {
                    _output.WriteLine($"trial {number} left {state}");
                }

                states[state] = states.GetValueOrDefault(state) + 1;
                string where = string.Create(CultureInfo.InvariantCulture, $"trial {number} ({state}, status {status ?? "null"}, record {(json is null ? "null" : json.Length + " chars")}, finished_at {(hasFinishedAt ? "set" : "null")})");
                if (state == "finished")
                {
                    Assert.True(json is not null && status is not null && hasFinishedAt, "finished without its whole result: " + where);
                    TrialRecord record = TrialRecordJson.Deserialize(json);
                    StorageTestData.AssertSameRecord(Record(number), record);
                    Assert.Equal(SqliteValues.Status(record.Status), status);
                }
                else
                {
                    Assert.True(state is "waiting" or "running", "unexpected state: " + where);
                    Assert.True(json is null && status is null && !hasFinishedAt, "a result without the finished state: " + where);
                    Assert.False(acknowledged.ContainsKey(number), "a finish was acknowledged but not stored: " + where);
                }
            }

            Assert.Equal(Enumerable.Range(0, TrialCount), numbers);
        }

        _output.WriteLine(string.Join(", ", states.Select(p => $"{p.Value} {p.Key}")));

        // Claims whose reply a kill swallowed leave trials running for nobody; every other trial was finished.
        Assert.True(
            states.GetValueOrDefault("finished") > TrialCount / 2,
            $"only {states.GetValueOrDefault("finished")} of {TrialCount} finished; {kills} kills ({killsMidFinish} mid-finish), {retries.Count} retries");
    }

    private void AssertNoPassword(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            AssertNoPassword(current.Message);
        }

        AssertNoPassword(error.ToString());
    }

    private void AssertNoPassword(string text)
    {
        Assert.DoesNotContain(PostgresServer.PasswordMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(_server.Password), text, StringComparison.Ordinal);
    }
}
