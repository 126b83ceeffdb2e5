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
        IReadOnlyList<StoredTrial> atKill;
        using (Process process = TunerProcess.Start(_dir, args))
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            await TunerProcess.WaitForTrialsAsync(store, process, trials => trials.Any(t => t.State == TrialState.Finished) && trials.Any(t => t.State == TrialState.Running));
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
}
