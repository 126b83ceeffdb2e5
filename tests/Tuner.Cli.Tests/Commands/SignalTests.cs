using System.Diagnostics;
using Tuner.Storage;
using Tuner.Storage.Sqlite;

namespace Tuner.Cli.Tests.Commands;

/// <summary>
/// SIGTERM (what schedulers and <c>docker stop</c> send) and SIGINT (Ctrl-C) to a real <c>tuner search</c> process in the
/// middle of a trial: one line on stderr, exit 143 or 130, finished trials kept, the running one handed back at once
/// without using up one of its attempts, and the same command again finishes it.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-signal").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("TERM", 143, "terminated (SIGTERM)")]
    [InlineData("INT", 130, "interrupted")]
    public async Task Search_SignalledMidTrial_HandsTheTrialBackAndExitsWithOneLine(string signal, int expectedCode, string expectedLine)
    {
        string store = Path.Combine(_dir, "signal.db");
        // Target 0.999 is never reached on digits, so every trial runs its whole 3 s budget: time to signal one mid-run.
        string[] args = ["search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "3", "--budget", "3s", "--target", "0.999",
            "--cap", "0", "--no-prune", "--storage", store, "--study", "signal"];
        string error;
        int code;
        using (Process process = TunerProcess.Start(_dir, args))
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            await TunerProcess.WaitForTrialsAsync(store, process, trials => trials.Any(t => t.State == TrialState.Running && t.HeartbeatAt is not null));
            await Task.Delay(1000); // well inside the trial's 3 s
            using (Process kill = Process.Start("kill", $"-{signal} {process.Id}"))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token); // handed back at once, not after the trial's budget
            code = process.ExitCode;
            error = await stderr;
            _ = await stdout;
        }

        Assert.Equal(expectedCode, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("tuner: error: " + expectedLine, line, StringComparison.Ordinal);

        await using (var storage = await SqliteStudyStorage.OpenAsync(store))
        {
            IReadOnlyList<StoredTrial> interrupted = await storage.GetTrialsAsync(1, CancellationToken.None);
            StoredTrial handedBack = Assert.Single(interrupted, t => t.State != TrialState.Finished);
            Assert.Equal(TrialState.Waiting, handedBack.State);
            Assert.Equal(0, handedBack.Attempts); // an interruption does not use up a retry
            Assert.Contains("handed back", handedBack.Note, StringComparison.Ordinal);
        }

        (int again, string output, string againError) = await CliRunner.RunAsync(_dir, args);

        Assert.True(again == 0, againError + output);
        await using (var storage = await SqliteStudyStorage.OpenAsync(store))
        {
            IReadOnlyList<StoredTrial> after = await storage.GetTrialsAsync(1, CancellationToken.None);
            Assert.Equal(3, after.Count);
            Assert.All(after, t => Assert.Equal(TrialState.Finished, t.State));
            Assert.All(after, t => Assert.Equal(1, t.Attempts));
        }
    }
}
