using System.Diagnostics;
using Tuner.Storage;
using Tuner.Storage.Tests.Postgres;

namespace Tuner.Cli.Tests.Commands;

/// <summary>
/// One study on a real PostgreSQL server, run by `tuner search` (the proposer) and two `tuner worker --study` processes
/// (as if on other machines); one worker is killed with SIGKILL mid-trial. Every trial finishes exactly once, no trial
/// number repeats, and the password never appears in any output.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class DistributedSearchTests(PostgresServer server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-dist").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task SearchWithTwoRemoteWorkers_OneKilledMidTrial_EveryTrialFinishesOnceAndNoPasswordShows()
    {
        string database = await server.CreateDatabaseAsync();
        string url = server.Url(database);
        const int Trials = 8;
        // Target 0.999 is never reached on digits: every trial runs its whole 2 s budget, long enough to kill a worker in one.
        string[] common = ["--budget", "2s", "--target", "0.999", "--cap", "0", "--no-prune"];
        var workers = new List<(Process Process, Task<string> Output, Task<string> Error)>();
        for (int i = 0; i < 2; i++)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "tuner.dll"), "worker", "--study", "dist", "--storage", url, "--idle", "15s", "--no-prune", "--cap", "0"])
            {
                start.ArgumentList.Add(arg);
            }

            // Started after the study exists (the search creates it), below.
            workers.Add((new Process { StartInfo = start }, Task.FromResult(string.Empty), Task.FromResult(string.Empty)));
        }

        Task<(int, string, string)> search = CliRunner.RunAsync(_dir, ["search", "--suite", "digits-mlp", "--tuner", "random", "--trials", $"{Trials}", "--study", "dist", "--storage", url, "--queue", "2", .. common]);
        await WaitForAsync(url, trials => trials.Count > 0);
        for (int i = 0; i < workers.Count; i++)
        {
            Process p = workers[i].Process;
            p.Start();
            workers[i] = (p, p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync());
        }

        // Kill the first worker once it is running a trial (its worker id names its pid).
        string victimPid = $"/{workers[0].Process.Id}/";
        await WaitForAsync(url, trials => trials.Any(t => t.State == TrialState.Running && t.WorkerId is string w && w.Contains(victimPid, StringComparison.Ordinal)));
        await Task.Delay(500);
        workers[0].Process.Kill(entireProcessTree: true);

        (int code, string output, string error) = await search;
        foreach (var (process, _, _) in workers)
        {
            await process.WaitForExitAsync();
        }

        Assert.True(code == 0, error + output);
        await using IStudyStorage storage = await StudyStorage.OpenAsync(url, null, CancellationToken.None);
        StudyInfo study = (await storage.FindStudyAsync("dist", CancellationToken.None))!;
        IReadOnlyList<StoredTrial> all = await storage.GetTrialsAsync(study.Id, CancellationToken.None);
        StoredTrial[] finished = [.. all.Where(t => t.State == TrialState.Finished)];
        Assert.True(finished.Length >= Trials, $"{finished.Length} finished");
        Assert.DoesNotContain(all, t => t.State == TrialState.Abandoned); // a live worker's trial is never taken from it
        Assert.Equal(finished.Length, finished.Select(t => t.Number).Distinct().Count());
        Assert.Equal(finished.Length, finished.Select(t => t.Record!.RunId).Distinct().Count());
        Assert.Contains(all, t => t.Attempts >= 2 && t.State == TrialState.Finished); // the killed worker's trial ran again
        Assert.Contains(finished, t => t.WorkerId!.Contains($"/{workers[1].Process.Id}/", StringComparison.Ordinal)); // the surviving worker did work
        string everything = output + error + await workers[0].Output + await workers[0].Error + await workers[1].Output + await workers[1].Error;
        Assert.DoesNotContain(PostgresServer.PasswordMarker, everything, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(string url, Func<IReadOnlyList<StoredTrial>, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            await using IStudyStorage storage = await StudyStorage.OpenAsync(url, null, CancellationToken.None);
            if (await storage.FindStudyAsync("dist", CancellationToken.None) is StudyInfo study && condition(await storage.GetTrialsAsync(study.Id, CancellationToken.None)))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the study never reached the expected state");
    }
}
