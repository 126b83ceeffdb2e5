using System.Collections.Concurrent;
using System.Diagnostics;
using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Runner;
using Tuner.Runner.Processes;
using Tuner.Suites.Specs;
using static Tuner.Benchmarks.Workers.WorkersBenchmark;

namespace Tuner.Benchmarks.Workers;

/// <summary>
/// The per-trial cost of process isolation: the same tiny trial (baseline configuration, 20 steps, one thread, target
/// 0.999 so every trial runs its whole budget) through the in-process runner and through the process runner,
/// interleaved (in-process, process, in-process, ...) after one unrecorded warm-up of each. The in-process runner keeps
/// its loaded data between trials, as it does in a search; a worker process starts, loads libtorch and the data anew.
/// </summary>
internal static class TrialOverhead
{
    private const int Steps = 20;

    public static async Task<(IReadOnlyList<Row> Rows, bool Ok)> MeasureAsync(SuiteSpec suite, string tunerDll, int trials)
    {
        var request = new TrialRequest
        {
            Suite = suite,
            Configuration = suite.Baseline,
            Budget = Budget.Steps(Steps),
            Seed = 1,
            Host = new TrialHost { Device = "cpu", Threads = 1 },
            TargetValue = 0.999,
        };
        var workerLog = new ConcurrentQueue<string>();
        using var inProcess = new InProcessTrialRunner();
        var process = new ProcessTrialRunner(new ProcessTrialRunnerOptions { TunerDllPath = tunerDll, Log = new LogTail(workerLog) });

        Log(F($"overhead: {trials} trials each of {suite.Name}, baseline, {Steps} steps, 1 thread, interleaved after one warm-up of each"));
        var problems = new List<string>();
        await TimeAsync(inProcess, request, problems);
        await TimeAsync(process, request, problems);
        var inWall = new List<double>();
        var inTrain = new List<double>();
        var procWall = new List<double>();
        var procTrain = new List<double>();
        for (int i = 0; i < trials; i++)
        {
            (double wall, double train) = await TimeAsync(inProcess, request, problems);
            inWall.Add(wall);
            inTrain.Add(train);
            (wall, train) = await TimeAsync(process, request, problems);
            procWall.Add(wall);
            procTrain.Add(train);
            Log(F($"  trial {i + 1}: in-process {inWall[^1]:0.000} s (train {inTrain[^1]:0.000} s)   process {procWall[^1]:0.000} s (train {procTrain[^1]:0.000} s)"));
        }

        if (problems.Count > 0)
        {
            foreach (string line in workerLog.TakeLast(20))
            {
                Log("  " + line);
            }
        }

        double inMedian = Median(inWall);
        double procMedian = Median(procWall);
        string note = problems.Count == 0 ? string.Empty : "PROBLEM: " + string.Join("; ", problems.Distinct().Take(3));
        IReadOnlyList<Row> rows =
        [
            new("Per-trial overhead", "in-process runner", F($"{inMedian:0.000} s/trial wall (median), {Median(inTrain):0.000} s charged training"),
                F($"{trials} trials, {Steps} steps, after 1 warm-up; data kept loaded; min {inWall.Min():0.000}, max {inWall.Max():0.000} s {note}").TrimEnd()),
            new("Per-trial overhead", "process runner", F($"{procMedian:0.000} s/trial wall (median), {Median(procTrain):0.000} s charged training"),
                F($"{trials} trials interleaved with the above; new process each; min {procWall.Min():0.000}, max {procWall.Max():0.000} s")),
            new("Per-trial overhead", "process - in-process", F($"**{procMedian - inMedian:+0.000;-0.000} s/trial**"),
                F($"difference of the medians; ratio {procMedian / inMedian:0.0}x")),
        ];
        return (rows, problems.Count == 0);
    }

    private static async Task<(double Wall, double Train)> TimeAsync(ITrialRunner runner, TrialRequest request, List<string> problems)
    {
        long start = Stopwatch.GetTimestamp();
        TrialRecord record = await runner.RunAsync(request, null, CancellationToken.None);
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (record.Status != TrialStatus.NotReached || record.Steps != Steps)
        {
            problems.Add($"{runner.GetType().Name}: {record.Status} after {record.Steps} steps {record.FailureReason}".TrimEnd());
        }

        return (wall, record.TrainSeconds);
    }
}
