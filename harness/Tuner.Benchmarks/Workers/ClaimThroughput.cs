using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Runner.Search;
using Tuner.Search.Space;
using Tuner.Storage;
using Tuner.Suites.Specs;
using static Tuner.Benchmarks.Workers.WorkersBenchmark;

namespace Tuner.Benchmarks.Workers;

/// <summary>
/// How fast a study store hands out work: <see cref="Count"/> trials are enqueued (not timed), then claimed and
/// finished (with a small valid record) until none waits, by 1 store instance and, in a second study, by 4 instances
/// at once (each its own connection on its own thread, as 4 worker processes would have), after an untimed warm-up of
/// <see cref="WarmUp"/> trials per store. Reported: trials claimed and finished per second of wall-clock time. Every
/// trial must be claimed exactly once and end Finished.
/// </summary>
internal static class ClaimThroughput
{
    private const int Count = 300;
    private const int WarmUp = 30;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static async Task<(IReadOnlyList<Row> Rows, bool Ok)> MeasureAsync(SuiteSpec suite, string sqlitePath, string? postgres)
    {
        var rows = new List<Row>();
        bool ok = true;
        foreach ((string name, string? location) in new[] { ("SQLite (temp file)", (string?)sqlitePath), ("PostgreSQL", postgres) })
        {
            if (location is not null)
            {
                await ClaimAllAsync(suite, location, 1, WarmUp); // JIT, connection set-up and statement caches: not timed
            }

            foreach (int instances in new[] { 1, 4 })
            {
                string @case = $"{name}, {instances} instance{(instances == 1 ? string.Empty : "s")}";
                if (location is null)
                {
                    rows.Add(new("Claims/s", @case, "not measured: pass --postgres", string.Empty));
                    continue;
                }

                Log($"claims: {@case}: {Count} trials");
                Result result = await ClaimAllAsync(suite, location, instances, Count);
                bool good = result.Claimed == Count && result.Finished == Count && result.Duplicates == 0;
                ok &= good;
                string note = F($"{Count} trials, claim + finish; {result.Seconds * 1000 / Count:0.00} ms per trial of wall time");
                if (instances > 1)
                {
                    note += F($"; per instance {string.Join("/", result.PerInstance)}");
                }

                if (result.Retries > 0)
                {
                    note += F($"; {result.Retries} busy retries");
                }

                if (!good)
                {
                    note += F($"; PROBLEM: claimed {result.Claimed}, finished {result.Finished}, claimed twice {result.Duplicates}");
                }

                rows.Add(new("Claims/s", @case, F($"**{Count / result.Seconds:0} claims/s**"), note));
                Log(F($"  {Count / result.Seconds:0} claims/s ({result.Seconds:0.000} s)"));
            }
        }

        return (rows, ok);
    }

    private sealed record Result(double Seconds, int Claimed, int Finished, int Duplicates, int Retries, int[] PerInstance);

    private static async Task<Result> ClaimAllAsync(SuiteSpec suite, string location, int instances, int count)
    {
        CancellationToken ct = CancellationToken.None;
        var space = new SearchSpace(suite.Baseline, [new RangeParameter("lr", 0.005, 0.05, log: true)], []);
        StudyDefinition definition = StudyRunner.Definition(new SearchOptions
        {
            StudyName = $"bench-claims-{instances}-{Guid.NewGuid():N}",
            Suite = suite,
            Space = space,
            Tuner = "random",
            Budget = Budget.Steps(300),
            CreatedBy = "Tuner.Benchmarks workers",
        });
        long studyId;
        await using (IStudyStorage setup = await StudyStorage.OpenAsync(location, null, ct))
        {
            studyId = (await setup.OpenStudyAsync(definition, ct)).Id;
            for (int i = 0; i < count; i++)
            {
                await setup.EnqueueTrialAsync(studyId, new TrialPlan(suite.Baseline, [0.5], 1.0, null, 1), ct);
            }
        }

        var stores = new List<IStudyStorage>();
        try
        {
            for (int k = 0; k < instances; k++)
            {
                IStudyStorage store = await StudyStorage.OpenAsync(location, null, ct);
                stores.Add(store);
                await store.OpenStudyAsync(definition, ct); // connected and warm before the clock starts
            }

            var numbers = new System.Collections.Concurrent.ConcurrentBag<int>();
            int retries = 0;
            using var start = new ManualResetEventSlim(false);
            // Each instance loops on a thread of its own (as a worker process would): Microsoft.Data.Sqlite runs its
            // "async" calls synchronously, so loops sharing the thread pool of a 2-core machine would starve each other.
            Task<int>[] loops = [.. stores.Select((store, k) => Task.Factory.StartNew(
                () =>
                {
                    start.Wait(ct);
                    return LoopAsync(store, k).GetAwaiter().GetResult();
                },
                ct, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
            async Task<int> LoopAsync(IStudyStorage store, int k)
            {
                string worker = $"{WorkerIdentity.Current}/bench{k}";
                int done = 0;
                while (await RetryAsync(() => store.ClaimTrialAsync(studyId, worker, ct), () => Interlocked.Increment(ref retries)) is StoredTrial trial)
                {
                    numbers.Add(trial.Number);
                    if (!await RetryAsync(() => store.FinishTrialAsync(studyId, trial.Number, worker, Record(suite, trial.Number), ct), () => Interlocked.Increment(ref retries)))
                    {
                        throw new InvalidOperationException($"trial {trial.Number} could not be finished by the worker that claimed it");
                    }

                    done++;
                }

                return done;
            }

            long began = Stopwatch.GetTimestamp();
            start.Set();
            int[] perInstance = await Task.WhenAll(loops);
            double seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;

            IReadOnlyList<StoredTrial> all = await stores[0].GetTrialsAsync(studyId, ct);
            int finished = all.Count(t => t.State == TrialState.Finished && t.Record is not null);
            int duplicates = numbers.Count - numbers.Distinct().Count();
            return new Result(seconds, numbers.Count, finished, duplicates, retries, perInstance);
        }
        finally
        {
            foreach (IStudyStorage store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    /// <summary>Retries a SQLite call that met another writer past the busy timeout (the store leaves that to the caller).</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call, Action retried)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked && attempt < 5)
            {
                retried();
            }
        }
    }

    /// <summary>A small valid record: a NotReached trial of 300 steps with two evaluations.</summary>
    private static TrialRecord Record(SuiteSpec suite, int number) => new()
    {
        RunId = Guid.NewGuid().ToString("N"),
        Suite = suite.Name,
        Configuration = suite.Baseline,
        Seed = 1,
        Budget = "300 steps",
        Target = suite.Target with { Value = 0.999 },
        Status = TrialStatus.NotReached,
        CensoredAtSeconds = 1.0,
        BestMetric = 0.95,
        FinalMetric = 0.95,
        FinalTrainLoss = 0.2,
        Steps = 300,
        Samples = 9600,
        Epochs = 6.68,
        TrainSeconds = 1.0,
        EvalSeconds = 0.1,
        SamplesPerSecond = 9600,
        PeakRssBytes = 256L * 1024 * 1024,
        StartedAt = DateTimeOffset.UtcNow,
        Curve = [new EvaluationPoint(150, 4800, 0.5, 0.9 + (number % 5 * 0.001), 0.4, 0.5), new EvaluationPoint(300, 9600, 1.0, 0.95, 0.3, 0.2)],
        TechniqueTrace = [],
        Environment = new EnvironmentManifest
        {
            CpuModel = "bench",
            LogicalCores = Environment.ProcessorCount,
            TorchThreads = 1,
            Os = RuntimeInformation.OSDescription,
            DotNet = RuntimeInformation.FrameworkDescription,
            TorchSharpVersion = "n/a",
            LibTorchVersion = "n/a",
            Device = "cpu",
            MachineName = Environment.MachineName,
        },
    };
}
