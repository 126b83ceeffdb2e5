using System.Diagnostics;
using Tuner.Storage;
using Tuner.Storage.Sqlite;

namespace Tuner.Cli.Tests.Commands;

/// <summary>
/// Kill -9 of a real `tuner search` process in the middle of a trial, then the same command again: no finished trial
/// is repeated or lost, and the interrupted trial is re-run and counted once.
/// </summary>
public sealed class SearchResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-kill").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Search_KilledMidTrialThenRunAgain_FinishesEveryTrialExactlyOnce()
    {
        string store = Path.Combine(_dir, "kill.db");
        // Target 0.999 is never reached on digits, so every trial runs its whole 3 s budget: time to kill one mid-run.
        string[] args = ["search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "4", "--budget", "3s", "--target", "0.999",
            "--cap", "0", "--no-prune", "--storage", store, "--study", "kill"];
        string tuner = Path.Combine(AppContext.BaseDirectory, "tuner.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(tuner);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        IReadOnlyList<StoredTrial> atKill;
        using (Process process = Process.Start(start)!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            await WaitForAsync(store, trials => trials.Any(t => t.State == TrialState.Finished) && trials.Any(t => t.State == TrialState.Running), process);
            await Task.Delay(1000);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        await using (var storage = await SqliteStudyStorage.OpenAsync(store))
        {
            atKill = await storage.GetTrialsAsync(1, CancellationToken.None);
        }

        StoredTrial running = Assert.Single(atKill, t => t.State == TrialState.Running);
        StoredTrial[] finishedBefore = [.. atKill.Where(t => t.State == TrialState.Finished)];
        Assert.NotEmpty(finishedBefore);

        (int code, string output, string error) = await CliRunner.RunAsync(_dir, args);

        Assert.True(code == 0, error + output);
        await using (var storage = await SqliteStudyStorage.OpenAsync(store))
        {
            IReadOnlyList<StoredTrial> after = await storage.GetTrialsAsync(1, CancellationToken.None);
            Assert.Equal(4, after.Count);
            Assert.All(after, t => Assert.Equal(TrialState.Finished, t.State));
            Assert.Equal([0, 1, 2, 3], after.Select(t => t.Number));
            foreach (StoredTrial before in finishedBefore)
            {
                Assert.Equal(before.Record!.RunId, after[before.Number].Record!.RunId); // not repeated
            }

            StoredTrial rerun = after[running.Number];
            Assert.Equal(running.Plan.Configuration, rerun.Plan.Configuration);
            Assert.Equal(2, rerun.Attempts);
            Assert.Contains("re-queued", rerun.Note, StringComparison.Ordinal);
        }
    }

    private static async Task WaitForAsync(string store, Func<IReadOnlyList<StoredTrial>, bool> condition, Process process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, "tuner search ended before it could be killed");
            if (File.Exists(store))
            {
                await using var storage = await SqliteStudyStorage.OpenAsync(store);
                IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(1, CancellationToken.None);
                if (condition(trials))
                {
                    return;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the search never reached the state to kill it in");
    }
}
