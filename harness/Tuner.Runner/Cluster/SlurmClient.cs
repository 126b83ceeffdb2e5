using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tuner.Core.Errors;

namespace Tuner.Runner.Cluster;

/// <summary>One job array of workers to submit (see <see cref="SlurmClient.SubmitAsync"/>).</summary>
public sealed record SlurmArrayRequest
{
    /// <summary>The job's name (<c>--job-name</c>); letters, digits, <c>-_.</c> only.</summary>
    public required string JobName { get; init; }

    /// <summary>Array tasks: <c>--array=0-(Tasks-1)</c>.</summary>
    public required int Tasks { get; init; }

    /// <summary>At most this many tasks run at once (<c>%P</c>); null: no limit.</summary>
    public int? MaxRunning { get; init; }

    public required int CpusPerTask { get; init; }

    /// <summary>GPUs per task (<c>--gres=gpu:K</c>); 0 asks for none.</summary>
    public int GpusPerTask { get; init; }

    /// <summary>Slurm's time limit per task (<c>--time</c>, in whole minutes); null: the partition's default.</summary>
    public TimeSpan? TimeLimit { get; init; }

    public string? Partition { get; init; }

    public string? Account { get; init; }

    /// <summary>Further sbatch options, one argument each (checked by <see cref="SlurmClient.CheckExtraArguments"/>).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>The folder for the tasks' output files (<c>JOBNAME-ARRAYID_TASK.out</c>), made if missing.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The tasks' working directory (<c>--chdir</c>).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>What each task runs, as an argument list (program first); written into the job script single-quoted.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Variables the tasks get through the job's environment (the store's password), never through arguments or the script.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>What <c>squeue</c> says of an array's tasks.</summary>
/// <param name="JobId">The array's job id.</param>
/// <param name="Pending">Tasks waiting to start (PENDING, CONFIGURING, REQUEUED...).</param>
/// <param name="Running">Tasks running (RUNNING, SUSPENDED, STOPPED: they hold their claim).</param>
/// <param name="Ending">Tasks completing, or gone from the queue.</param>
/// <param name="Known">False when squeue could not be asked (the controller did not answer): nothing can be concluded.</param>
public sealed record SlurmArrayStatus(string JobId, int Pending, int Running, int Ending, bool Known = true)
{
    /// <summary>True while a task may still claim a trial (or squeue could not tell).</summary>
    public bool Alive => !Known || Pending + Running > 0;

    public override string ToString() => Known
        ? string.Create(CultureInfo.InvariantCulture, $"Slurm array {JobId}: {Running} running, {Pending} pending")
        : $"Slurm array {JobId}: squeue did not answer";
}

/// <summary>
/// Submits, watches and cancels job arrays with Slurm's own commands (<c>sbatch</c>, <c>squeue</c>, <c>scancel</c>),
/// each started without a shell from an argument list. The job script is generated with every value single-quoted and
/// reaches sbatch on its standard input, so it is never left on disk by tuner, and a study name or path cannot inject a
/// command. Secrets go to the job through sbatch's environment (<c>--export=ALL</c>): never on a command line, in the
/// script, or in what <c>scontrol show job</c> prints. Only options that Slurm 22.05 and later all understand are used.
/// </summary>
public sealed class SlurmClient
{
    /// <summary>How long one Slurm command may take.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The sbatch options tuner sets itself, with the tuner option that sets each.</summary>
    private static readonly (string Long, string? Short, string Instead)[] Reserved =
    [
        ("--array", "-a", "--workers N (and --max-running P)"),
        ("--parsable", null, "nothing (tuner reads the job id)"),
        ("--export", null, "nothing (the store's password reaches the workers through the job's environment, so tuner passes --export=ALL)"),
        ("--job-name", "-J", "nothing (tuner names the job after the study)"),
        ("--output", "-o", "nothing (the logs go to results/slurm/)"),
        ("--error", "-e", "nothing (the logs go to results/slurm/)"),
        ("--signal", null, "nothing (tuner asks for SIGTERM 60 s before the time limit)"),
        ("--cpus-per-task", "-c", "--threads N"),
        ("--gres", null, "--gpus-per-task K"),
        ("--gpus", "-G", "--gpus-per-task K"),
        ("--gpus-per-task", null, "--gpus-per-task K"),
        ("--time", "-t", "--job-time DURATION"),
        ("--partition", "-p", "--partition NAME"),
        ("--account", "-A", "--account NAME"),
        ("--chdir", "-D", "nothing (the tasks run in this command's folder)"),
        ("--wrap", null, "nothing (tuner writes the job script)"),
    ];

    private readonly string? _binDirectory;
    private readonly Func<string, string> _redact;

    /// <param name="binDirectory">Where sbatch, squeue and scancel are; null: the PATH.</param>
    /// <param name="redact">Masks secrets in what Slurm's commands print before it is quoted in a message.</param>
    public SlurmClient(string? binDirectory = null, Func<string, string>? redact = null)
    {
        _binDirectory = binDirectory;
        _redact = redact ?? (text => text);
    }

    /// <summary>Checks that sbatch, squeue and scancel are there (in the bin directory, or on the PATH) before anything is submitted.</summary>
    public void EnsureInstalled()
    {
        foreach (string program in new[] { "sbatch", "squeue", "scancel" })
        {
            bool found = _binDirectory is not null
                ? File.Exists(Path.Combine(_binDirectory, program))
                : (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                    .Any(folder => File.Exists(Path.Combine(folder, program)));
            if (!found)
            {
                throw new TunerInputException($"--launcher slurm needs Slurm's {program} (with sbatch, squeue and scancel) {(_binDirectory is null ? "on the PATH" : "in " + _binDirectory)}, and there is none: run tuner where Slurm's client commands work (a login node), or install slurm-client");
            }
        }
    }

    /// <summary>
    /// Refuses free-form sbatch arguments that are not one option each, or that set what tuner sets itself (one line
    /// naming the tuner option to use instead).
    /// </summary>
    public static void CheckExtraArguments(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        foreach (string argument in arguments)
        {
            if (string.IsNullOrWhiteSpace(argument) || !argument.StartsWith('-') || argument.Contains('\n', StringComparison.Ordinal) || argument.Contains('\0', StringComparison.Ordinal))
            {
                throw new TunerInputException($"--sbatch-arg '{OneLine(argument)}' is not one sbatch option: give each as --sbatch-arg=--NAME=VALUE, e.g. --sbatch-arg=--mem=8G");
            }

            foreach ((string longName, string? shortName, string instead) in Reserved)
            {
                bool isLong = argument == longName || argument.StartsWith(longName + "=", StringComparison.Ordinal);
                bool isShort = shortName is not null && !argument.StartsWith("--", StringComparison.Ordinal) && argument.StartsWith(shortName, StringComparison.Ordinal);
                if (isLong || isShort)
                {
                    throw new TunerInputException($"--sbatch-arg {OneLine(argument)}: tuner sets {longName} itself; use {instead}");
                }
            }
        }
    }

    /// <summary>The job script: <c>/bin/sh</c> that <c>exec</c>s <paramref name="command"/>, every word single-quoted (nothing expanded).</summary>
    public static string Script(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0 || command.Any(word => word.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("the worker command is empty or holds a NUL character", nameof(command));
        }

        return "#!/bin/sh\n" +
            "# Generated by tuner: one worker of a study per array task. Every value is single-quoted; nothing is expanded.\n" +
            "exec " + string.Join(' ', command.Select(Quote)) + "\n";
    }

    /// <summary>A word for /bin/sh that stays exactly itself: single-quoted, each ' written as '\''.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>The sbatch argument list for <paramref name="request"/> (the script comes on stdin).</summary>
    public static IReadOnlyList<string> SbatchArguments(SlurmArrayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string array = string.Create(CultureInfo.InvariantCulture, $"--array=0-{request.Tasks - 1}") +
            (request.MaxRunning is int p ? string.Create(CultureInfo.InvariantCulture, $"%{p}") : string.Empty);
        // Slurm expands %A (array job id), %a (task) and %x (job name) in the output path; a literal % is written %%.
        string output = Path.Combine(request.OutputDirectory.Replace("%", "%%", StringComparison.Ordinal), "%x-%A_%a.out");
        var arguments = new List<string>
        {
            "--parsable",
            array,
            "--job-name=" + request.JobName,
            "--output=" + output,
            "--export=ALL",
            "--signal=B:TERM@60",
            "--chdir=" + request.WorkingDirectory,
            string.Create(CultureInfo.InvariantCulture, $"--cpus-per-task={request.CpusPerTask}"),
        };
        if (request.GpusPerTask > 0)
        {
            arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--gres=gpu:{request.GpusPerTask}"));
        }

        if (request.TimeLimit is TimeSpan limit)
        {
            arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--time={Math.Max(1, (int)Math.Ceiling(limit.TotalMinutes))}"));
        }

        if (request.Partition is string partition)
        {
            arguments.Add("--partition=" + partition);
        }

        if (request.Account is string account)
        {
            arguments.Add("--account=" + account);
        }

        arguments.AddRange(request.ExtraArguments);
        return arguments;
    }

    /// <summary>Submits the array and returns its job id; sbatch's refusal is a one-line <see cref="TunerInputException"/>.</summary>
    public async Task<string> SubmitAsync(SlurmArrayRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckExtraArguments(request.ExtraArguments);
        Directory.CreateDirectory(request.OutputDirectory);
        (int code, string output, string error) = await RunAsync("sbatch", SbatchArguments(request), Script(request.Command), request.Environment, cancellationToken).ConfigureAwait(false);
        // --parsable prints "JOBID" or "JOBID;CLUSTER".
        string id = output.Trim().Split('\n').LastOrDefault()?.Split(';')[0].Trim() ?? string.Empty;
        if (code != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
        {
            throw new TunerInputException($"sbatch did not submit the worker array: {FirstLine(error, output)}");
        }

        return id;
    }

    /// <summary>The array's tasks by state (<c>squeue -r -j ID</c>); a job no longer known to Slurm has ended.</summary>
    public async Task<SlurmArrayStatus> StatusAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        (int code, string output, string error) = await RunAsync("squeue", ["--noheader", "--array", "--jobs=" + jobId, "--format=%T"], null, null, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            // Once a finished job leaves slurmctld's memory (MinJobAge), squeue calls its id invalid: it has ended.
            return error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)
                ? new SlurmArrayStatus(jobId, 0, 0, 0)
                : new SlurmArrayStatus(jobId, 0, 0, 0, Known: false);
        }

        int pending = 0, running = 0, ending = 0;
        foreach (string state in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (state)
            {
                case "PENDING" or "CONFIGURING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESV_DEL_HOLD" or "SPECIAL_EXIT":
                    pending++;
                    break;
                case "RUNNING" or "SUSPENDED" or "STOPPED" or "RESIZING" or "SIGNALING" or "STAGE_OUT":
                    running++;
                    break;
                default:
                    ending++; // COMPLETING, COMPLETED, CANCELLED, FAILED, TIMEOUT, PREEMPTED, NODE_FAIL, ...
                    break;
            }
        }

        return new SlurmArrayStatus(jobId, pending, running, ending);
    }

    /// <summary>Cancels every task of the array (<c>scancel ID</c>): Slurm sends SIGTERM, and each worker hands its trial back.</summary>
    public async Task CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        (int code, string output, string error) = await RunAsync("scancel", [jobId], null, null, cancellationToken).ConfigureAwait(false);
        if (code != 0 && !error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) && !error.Contains("already completing or completed", StringComparison.OrdinalIgnoreCase))
        {
            throw new TunerInputException($"scancel {jobId} failed: {FirstLine(error, output)}; cancel the array yourself with scancel {jobId}");
        }
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(
        string program, IReadOnlyList<string> arguments, string? input, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        string path = _binDirectory is null ? program : Path.Combine(_binDirectory, program);
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new TunerInputException($"--launcher slurm could not start {program}");
        }
        catch (Win32Exception)
        {
            throw new TunerInputException($"--launcher slurm needs Slurm's {program} (with sbatch, squeue and scancel) on the PATH, and there is none: run tuner where Slurm's client commands work (a login node), or install slurm-client");
        }

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            Task<string> error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                if (input is not null)
                {
                    await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // it exited without reading its input; its exit code and stderr tell why
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CommandTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                throw new TunerInputException(string.Create(CultureInfo.InvariantCulture, $"{program} did not answer within {CommandTimeout.TotalSeconds:0} s: is slurmctld reachable (scontrol ping)?"));
            }

            return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }

    private string FirstLine(string error, string output)
    {
        string text = (error.Trim().Length > 0 ? error : output).Trim();
        string line = text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "no message";
        return OneLine(_redact(line));
    }

    private static string OneLine(string text) => text.Length <= 300 ? text.ReplaceLineEndings(" ") : text[..300].ReplaceLineEndings(" ") + "...";
}
