using Tuner.Storage;
using Tuner.Storage.Tests.Postgres;

namespace Tuner.Cli.Tests.Slurm;

/// <summary>
/// <c>--launcher slurm</c> on a real one-node Slurm cluster (<see cref="SlurmCluster"/>) and a real PostgreSQL server:
/// searches whose trials run in job arrays of <c>tuner worker</c> tasks, a task cancelled mid-trial, fake GPUs, a
/// study name built to inject shell commands, and the password looked for everywhere Slurm keeps or prints anything.
/// Budgets are tiny (1-3 s trials of digits-mlp; target 0.999 is never reached, so each trial runs its whole budget).
/// </summary>
[Collection(SlurmClusterGroup.Name)]
public sealed class SlurmLauncherTests(SlurmCluster cluster, PostgresServer server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-slurm").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Search_TwoTaskArrayWithFakeGpus_EveryTrialOnceOnDistinctGpusAndThePasswordNowhere()
    {
        Assert.Equal(SlurmCluster.Partition, (await SlurmCluster.RunAsync("sinfo", "--noheader", "--format=%R")).Trim());
        string url = server.Url(await server.CreateDatabaseAsync());
        // Quotes, $(...), backticks and ; : a study name that would run commands if it ever reached a shell unquoted.
        const string Study = "q'$(touch pwned)`touch pwned2`;x";
        (int code, string output, string error) = await CliRunner.RunAsync(_dir,
        [
            "search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "4", "--budget", "2s", "--target", "0.999", "--cap", "0", "--no-prune",
            "--storage", url, "--study", Study, "--launcher", "slurm", "--workers", "2", "--gpus-per-task", "1", "--partition", SlurmCluster.Partition,
        ]);
        Assert.True(code == 0, error + output);

        StoredTrial[] trials = await TrialsAsync(url, Study);
        Assert.Equal(4, trials.Length);
        Assert.All(trials, t => Assert.Equal(TrialState.Finished, t.State));
        Assert.Equal(4, trials.Select(t => t.Record!.RunId).Distinct().Count());
        string jobId = JobOf(trials[0]);
        Assert.All(trials, t => Assert.StartsWith(jobId + "_", t.Record!.Environment.SlurmJob, StringComparison.Ordinal));
        Assert.Equal(2, trials.Select(t => t.Record!.Environment.SlurmJob).Distinct().Count()); // both tasks ran trials
        // Each task got its own fake GPU, and its trials ran with it.
        string[] devices = [.. trials.GroupBy(t => t.Record!.Environment.SlurmJob).Select(g => Assert.Single(g.Select(t => t.Record!.Environment.CudaVisibleDevices).Distinct())!)];
        Assert.Equal(["0", "1"], devices.Order(StringComparer.Ordinal));
        Assert.Contains($"submitted Slurm array {jobId}: 2 tasks", output, StringComparison.Ordinal);
        Assert.Contains($"cancelled Slurm array {jobId}", output, StringComparison.Ordinal);

        // The password: not in the output, the tasks' logs, the job script Slurm keeps, or anything scontrol shows.
        string script = await SlurmCluster.RunAsync("scontrol", "write", "batch_script", jobId, "-");
        Assert.Contains("exec ", script, StringComparison.Ordinal);
        Assert.Contains("'--study' 'q'\\''$(touch pwned)`touch pwned2`;x'", script, StringComparison.Ordinal);
        string shown = await SlurmCluster.RunAsync("scontrol", "-dd", "show", "job", jobId);
        Assert.Contains("tuner-q___touch_pwned__touch_pwned2__x", shown, StringComparison.Ordinal);
        string logs = string.Concat(Directory.GetFiles(Path.Combine(_dir, "results", "slurm")).Select(File.ReadAllText));
        Assert.Contains("joined study", logs, StringComparison.Ordinal);
        foreach (string text in new[] { output, error, script, shown, logs })
        {
            Assert.DoesNotContain(PostgresServer.PasswordMarker, text, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFiles(_dir, "pwned*", SearchOption.AllDirectories)); // nothing was injected
        Assert.False(File.Exists(Path.Combine(cluster.Folder, "spool", "pwned")));
    }

    [Fact]
    public async Task Search_OneTaskCancelledMidTrial_ItsTrialIsHandedBackAndFinishedByTheOtherTask()
    {
        string url = server.Url(await server.CreateDatabaseAsync());
        const string Study = "cancel-one";
        Task<(int, string, string)> search = CliRunner.RunAsync(_dir,
        [
            "search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "5", "--budget", "3s", "--target", "0.999", "--cap", "0", "--no-prune",
            "--storage", url, "--study", Study, "--launcher", "slurm", "--workers", "2",
        ]);

        // Both tasks busy with a trial, then cancel task 0 as a user (or preemption) would.
        string jobId = string.Empty;
        await WaitForAsync(async () =>
        {
            jobId = (await SlurmCluster.TryRunAsync("squeue", "--noheader", "--name=tuner-" + Study, "--format=%F")).Split('\n')[0].Trim();
            StoredTrial[] running = [.. (await TrialsAsync(url, Study)).Where(t => t.State == TrialState.Running)];
            return jobId.Length > 0 && running.Length == 2;
        });
        await Task.Delay(1000);
        await SlurmCluster.RunAsync("scancel", jobId + "_0");

        (int code, string output, string error) = await search;
        Assert.True(code == 0, error + output);
        StoredTrial[] trials = await TrialsAsync(url, Study);
        Assert.Equal(5, trials.Length);
        Assert.All(trials, t => Assert.Equal(TrialState.Finished, t.State));
        Assert.Equal(5, trials.Select(t => t.Record!.RunId).Distinct().Count());
        StoredTrial handedBack = Assert.Single(trials, t => t.Note is string note && note.Contains("handed back", StringComparison.Ordinal));
        Assert.Equal($"{jobId}_1", handedBack.Record!.Environment.SlurmJob); // finished by the task that was not cancelled
        Assert.Equal(1, handedBack.Attempts); // the hand-back used no attempt
        string log0 = await File.ReadAllTextAsync(Path.Combine(_dir, "results", "slurm", $"tuner-{Study}-{jobId}_0.out"));
        Assert.Contains("terminated (SIGTERM)", log0, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.PasswordMarker, output + error + log0, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_WholeArrayCancelledAfterFinishingTrials_AnotherArrayFinishesTheStudy()
    {
        string url = server.Url(await server.CreateDatabaseAsync());
        const string Study = "replaced";
        Task<(int, string, string)> search = CliRunner.RunAsync(_dir,
        [
            "search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "4", "--budget", "2s", "--target", "0.999", "--cap", "0", "--no-prune",
            "--storage", url, "--study", Study, "--launcher", "slurm", "--workers", "1",
        ]);

        // As preemption with PreemptMode=CANCEL (or a time limit) would: the whole array ends after its first trial.
        string jobId = string.Empty;
        await WaitForAsync(async () =>
        {
            jobId = (await SlurmCluster.TryRunAsync("squeue", "--noheader", "--name=tuner-" + Study, "--format=%F")).Split('\n')[0].Trim();
            return jobId.Length > 0 && (await TrialsAsync(url, Study)).Any(t => t.State == TrialState.Finished);
        });
        await SlurmCluster.RunAsync("scancel", jobId);

        (int code, string output, string error) = await search;
        Assert.True(code == 0, error + output);
        Assert.Contains($"Slurm array {jobId} ended with work left after finishing", output, StringComparison.Ordinal);
        StoredTrial[] trials = await TrialsAsync(url, Study);
        Assert.Equal(4, trials.Length);
        Assert.All(trials, t => Assert.Equal(TrialState.Finished, t.State));
        Assert.Equal(2, trials.Select(JobOf).Distinct().Count()); // the first array and its replacement
    }

    [Fact]
    public async Task Search_ProposerGetsSigterm_ArrayCancelledTrialsHandedBackAndTheSameCommandFinishes()
    {
        string url = server.Url(await server.CreateDatabaseAsync());
        const string Study = "proposer-term";
        string[] args =
        [
            "search", "--suite", "digits-mlp", "--tuner", "random", "--trials", "4", "--budget", "3s", "--target", "0.999", "--cap", "0", "--no-prune",
            "--storage", url, "--study", Study, "--launcher", "slurm", "--workers", "2",
        ];
        string error;
        using (System.Diagnostics.Process process = TunerProcess.Start(_dir, args))
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            await WaitForAsync(async () => (await TrialsAsync(url, Study)).Count(t => t.State == TrialState.Running) == 2);
            await Task.Delay(1000);
            using (System.Diagnostics.Process kill = System.Diagnostics.Process.Start("kill", $"-TERM {process.Id}"))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            Assert.Equal(143, process.ExitCode);
            error = await stderr;
            Assert.DoesNotContain(PostgresServer.PasswordMarker, await stdout + error, StringComparison.Ordinal);
        }

        Assert.StartsWith("tuner: error: terminated (SIGTERM)", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        // The proposer cancelled its array on the way out; the tasks handed their trials back.
        await WaitForAsync(async () => (await SlurmCluster.TryRunAsync("squeue", "--noheader", "--name=tuner-" + Study)).Trim().Length == 0);
        StoredTrial[] interrupted = await TrialsAsync(url, Study);
        Assert.DoesNotContain(interrupted, t => t.State == TrialState.Running);
        Assert.Equal(2, interrupted.Count(t => t.State == TrialState.Waiting && t.Note is string note && note.Contains("handed back", StringComparison.Ordinal)));

        (int code, string output, string againError) = await CliRunner.RunAsync(_dir, args);
        Assert.True(code == 0, againError + output);
        StoredTrial[] trials = await TrialsAsync(url, Study);
        Assert.Equal(4, trials.Length);
        Assert.All(trials, t => Assert.Equal(TrialState.Finished, t.State));
        Assert.All(trials, t => Assert.Equal(1, t.Attempts));
    }

    [Fact]
    public async Task Launch_ExistingStudy_WorkersRunItsWaitingTrialsAndStopWhenIdle()
    {
        string url = server.Url(await server.CreateDatabaseAsync());
        const string Study = "launched";
        // A local search that stops at --time with two trials still queued for other workers.
        (int code, string output, string error) = await CliRunner.RunAsync(_dir,
        [
            "search", "--suite", "digits-mlp", "--tuner", "random", "--time", "4s", "--budget", "1s", "--target", "0.999", "--cap", "0", "--no-prune",
            "--storage", url, "--study", Study, "--queue", "2",
        ]);
        Assert.True(code == 0, error + output);
        int waiting = (await TrialsAsync(url, Study)).Count(t => t.State == TrialState.Waiting);
        Assert.True(waiting >= 1, $"{waiting} waiting");

        (code, output, error) = await CliRunner.RunAsync(_dir,
            ["launch", "--study", Study, "--storage", url, "--launcher", "slurm", "--workers", "1", "--idle", "5s", "--no-prune", "--cap", "0"]);
        Assert.True(code == 0, error + output);
        Assert.Contains("scancel", output, StringComparison.Ordinal);
        await WaitForAsync(async () => (await SlurmCluster.TryRunAsync("squeue", "--noheader", "--name=tuner-" + Study)).Trim().Length == 0);
        StoredTrial[] trials = await TrialsAsync(url, Study);
        Assert.All(trials, t => Assert.Equal(TrialState.Finished, t.State));
        Assert.Equal(waiting, trials.Count(t => t.Record!.Environment.SlurmJob is not null));
        Assert.DoesNotContain(PostgresServer.PasswordMarker, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recommend_SearchAndValidationBothRunInArrays()
    {
        string url = server.Url(await server.CreateDatabaseAsync());
        const string Study = "recommended";
        (int code, string output, string error) = await CliRunner.RunAsync(_dir,
        [
            "recommend", "--suite", "digits-mlp", "--time", "40s", "--budget", "2s", "--candidates", "1", "--min-seeds", "3", "--max-seeds", "3",
            "--storage", url, "--study", Study, "--launcher", "slurm", "--workers", "2",
        ]);
        Assert.True(code is 0 or 3, error + output);
        StoredTrial[] search = await TrialsAsync(url, Study);
        StoredTrial[] validation = await TrialsAsync(url, Study + "@validate");
        Assert.NotEmpty(search);
        Assert.All(search.Where(t => t.State == TrialState.Finished), t => Assert.NotNull(t.Record!.Environment.SlurmJob));
        Assert.Equal(6, validation.Length); // the baseline and one candidate on 3 fresh seeds
        Assert.All(validation, t => Assert.Equal(TrialState.Finished, t.State));
        Assert.All(validation, t => Assert.NotNull(t.Record!.Environment.SlurmJob));
        Assert.Equal(2, validation.Select(t => t.Record!.Environment.SlurmJob!.Split('_')[0]).Append(JobOf(search[0])).Distinct().Count()); // one array each
        Assert.Contains("reproduce:", output, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.PasswordMarker, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_WorkersCannotStartOnTheNodes_Exit9QuotingTheirLogInsteadOfSubmittingForever()
    {
        string url = server.Url(await server.CreateDatabaseAsync());
        // The tasks inherit this process's environment (sbatch --export=ALL): a 1 MiB GC heap limit stops the .NET
        // runtime of every task at start, as a missing or broken runtime on the nodes would. This process is unaffected.
        string? before = Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit");
        Environment.SetEnvironmentVariable("DOTNET_GCHeapHardLimit", "0x100000");
        (int code, string output, string error) result;
        try
        {
            result = await CliRunner.RunAsync(_dir,
            [
                "search", "--suite", "digits-mlp", "--trials", "2", "--budget", "1s", "--storage", url, "--study", "lost",
                "--launcher", "slurm", "--workers", "2",
            ]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOTNET_GCHeapHardLimit", before);
        }

        Assert.Equal(9, result.code);
        string line = Assert.Single(result.error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("ended without finishing a trial of the study (1 arrays submitted)", line, StringComparison.Ordinal);
        Assert.Contains("Failed to create CoreCLR", line, StringComparison.Ordinal); // the last line of task 0's log
        Assert.Equal(0, (await TrialsAsync(url, "lost")).Count(t => t.State is TrialState.Running or TrialState.Finished));
    }

    [Fact]
    public async Task Search_SbatchRefusesThePartition_OneLineWithSbatchsReasonAndNoPassword()
    {
        string url = server.Url(await server.CreateDatabaseAsync());
        (int code, string output, string error) = await CliRunner.RunAsync(_dir,
        [
            "search", "--suite", "digits-mlp", "--trials", "2", "--budget", "1s", "--storage", url, "--study", "refused",
            "--launcher", "slurm", "--workers", "2", "--partition", "nosuchpartition",
        ]);
        Assert.Equal(2, code);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("sbatch did not submit the worker array", line, StringComparison.Ordinal);
        Assert.Contains("partition", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(PostgresServer.PasswordMarker, output + error, StringComparison.Ordinal);
    }

    private static string JobOf(StoredTrial trial) => trial.Record!.Environment.SlurmJob!.Split('_')[0];

    private static async Task<StoredTrial[]> TrialsAsync(string url, string study)
    {
        await using IStudyStorage storage = await StudyStorage.OpenAsync(url, null, CancellationToken.None);
        return await storage.FindStudyAsync(study, CancellationToken.None) is StudyInfo info
            ? [.. await storage.GetTrialsAsync(info.Id, CancellationToken.None)]
            : [];
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the study or the Slurm array never reached the expected state");
            }

            await Task.Delay(250);
        }
    }
}
