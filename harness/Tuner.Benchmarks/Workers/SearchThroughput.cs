using System.Collections.Concurrent;
using System.Diagnostics;
using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Runner.Processes;
using Tuner.Runner.Search;
using Tuner.Search.Space;
using Tuner.Search.Tuners;
using Tuner.Storage.Sqlite;
using Tuner.Suites.Specs;
using static Tuner.Benchmarks.Workers.WorkersBenchmark;

namespace Tuner.Benchmarks.Workers;

/// <summary>
/// What a second worker buys on this machine: a random-tuner study of digits-mlp (300 steps unless --search-steps, target 0.999 so that
/// every trial runs its whole budget, no cap, no pruning, one torch thread per trial) through the process runner, once
/// with 1 worker and once with 2 (separate studies in one temp SQLite store, same tuner seed). Reported: wall-clock
/// seconds of the whole search, trials per minute, and the speed-up.
/// </summary>
internal static class SearchThroughput
{
    public static async Task<(IReadOnlyList<Row> Rows, bool Ok)> MeasureAsync(SuiteSpec suite, string tunerDll, int trials, int steps, string storePath)
    {
        var rows = new List<Row>();
        bool ok = true;
        var seconds = new Dictionary<int, double>();
        foreach (int workers in new[] { 1, 2 })
        {
            Log(F($"search: {trials} trials, random tuner, {steps} steps, {workers} worker(s)"));
            var workerLog = new ConcurrentQueue<string>();
            var runner = new ProcessTrialRunner(new ProcessTrialRunnerOptions { TunerDllPath = tunerDll, Log = new LogTail(workerLog) });
            var options = new SearchOptions
            {
                StudyName = $"bench-workers-{workers}",
                Suite = suite,
                Space = new SearchSpace(suite.Baseline, [new RangeParameter("lr", 0.005, 0.05, log: true)], []),
                Tuner = "random",
                Budget = Budget.Steps(steps),
                TargetValue = 0.999,
                TunerSeed = 11,
                TrainingSeed = 1,
                MaxTrials = trials,
                CapFactor = 0,
                Prune = false,
                Host = new Tuner.Runner.TrialHost { Device = "cpu", Threads = 1 },
                Workers = workers,
                CreatedBy = "Tuner.Benchmarks workers",
            };

            IReadOnlyList<TrialResult> results;
            long start = Stopwatch.GetTimestamp();
            await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(storePath))
            {
                results = await new StudyRunner(storage, runner).RunAsync(options, null, CancellationToken.None);
            }

            double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
            seconds[workers] = wall;
            var wrong = results.Where(r => r.Status != TrialStatus.NotReached || r.Curve.Count == 0 || r.Curve[^1].Step != steps).ToList();
            bool good = results.Count == trials && wrong.Count == 0;
            ok &= good;
            double charged = results.Sum(r => r.CostSeconds);
            string note = F($"{results.Count} trials, median charged training {Median([.. results.Select(r => r.CostSeconds)]):0.000} s/trial; charged training is {100 * charged / (wall * workers):0}% of worker wall time");
            if (!good)
            {
                note += F($"; PROBLEM: {results.Count} finished, {wrong.Count} not NotReached at {steps} steps ({string.Join(", ", wrong.Select(r => r.Status).Distinct())})");
                foreach (string line in workerLog.TakeLast(20))
                {
                    Log("  " + line);
                }
            }

            rows.Add(new("Search throughput", F($"process runner, workers {workers}, {steps} steps"), F($"{wall:0.0} s, **{results.Count * 60 / wall:0.0} trials/min**"), note));
            Log(F($"  {wall:0.0} s, {results.Count * 60 / wall:0.0} trials/min"));
        }

        rows.Add(new("Search throughput", "speed-up, workers 2 vs 1", F($"**{seconds[1] / seconds[2]:0.00}x**"),
            F($"{Environment.ProcessorCount} logical cores, 1 torch thread per trial; ideal 2x on 2 idle cores")));
        return (rows, ok);
    }
}
