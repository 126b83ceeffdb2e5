using System.Globalization;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Errors;
using Tuner.Runner.Cluster;
using Tuner.Runner.Processes;
using Tuner.Storage;

namespace Tuner.Cli.Commands;

/// <summary>What every worker of a launched array runs with (the study's trials come from the store).</summary>
/// <param name="Study">The study to join.</param>
/// <param name="SuiteFile">The suite file, for a suite that is not built in (absolute).</param>
/// <param name="Threads">Torch threads per trial (and Slurm's --cpus-per-task).</param>
/// <param name="Device">auto, cpu or cuda (cuda: the GPU Slurm gave the task, through CUDA_VISIBLE_DEVICES).</param>
/// <param name="DataDirectory">The data cache (absolute), or null for the default.</param>
/// <param name="MemoryLimitBytes">The trials' memory limit, or null.</param>
/// <param name="Cap">Adaptive capping factor (the search's).</param>
/// <param name="Prune">Median pruning (the search's).</param>
/// <param name="Idle">A worker stops after this long without a trial to claim.</param>
internal sealed record WorkerArguments(string Study, string? SuiteFile, int Threads, string Device, string? DataDirectory, long? MemoryLimitBytes, double Cap, bool Prune, TimeSpan Idle);

/// <summary>Checks the launcher options and turns them into a Slurm job array of <c>tuner worker --study</c> tasks.</summary>
internal static class LauncherSetup
{
    /// <summary>How long a launched worker waits for work before it stops (the proposer cancels the array when the study is done).</summary>
    public static readonly TimeSpan DefaultIdle = TimeSpan.FromMinutes(10);

    /// <summary>Every launcher option checked: one line naming the option and the fix.</summary>
    public static void Check(LauncherSettings settings, int workers)
    {
        string launcher = settings.Launcher?.Trim().ToLowerInvariant() ?? "local";
        if (launcher is not ("local" or "slurm"))
        {
            throw new TunerInputException($"--launcher '{settings.Launcher}' is unknown: use local (this machine) or slurm (a Slurm job array)");
        }

        if (launcher == "local")
        {
            string? slurmOnly = settings.Partition is not null ? "--partition"
                : settings.Account is not null ? "--account"
                : settings.GpusPerTask != 0 ? "--gpus-per-task"
                : settings.JobTime is not null ? "--job-time"
                : settings.MaxRunning is not null ? "--max-running"
                : settings.SbatchArgs.Length > 0 ? "--sbatch-arg" : null;
            if (slurmOnly is not null)
            {
                throw new TunerInputException($"{slurmOnly} is a Slurm option: add --launcher slurm, or drop it");
            }

            return;
        }

        if (settings.GpusPerTask is < 0 or > 1)
        {
            throw new TunerInputException($"--gpus-per-task {settings.GpusPerTask} is invalid: use 0 or 1 (each array task runs one trial at a time on one device; ask for more tasks with --workers)");
        }

        if (settings.GpusPerTask == 1 && !string.Equals(settings.Device, "cuda", StringComparison.OrdinalIgnoreCase) && !string.Equals(settings.Device, "auto", StringComparison.OrdinalIgnoreCase))
        {
            throw new TunerInputException($"--gpus-per-task 1 with --device {settings.Device} would leave the GPU idle: use --device cuda");
        }

        if (settings.MaxRunning is int p && (p < 1 || p > workers))
        {
            throw new TunerInputException($"--max-running {p} is invalid: use a whole number from 1 to --workers ({workers})");
        }

        _ = JobTime(settings);
        Name(settings.Partition, "--partition");
        Name(settings.Account, "--account");
        SlurmClient.CheckExtraArguments(settings.SbatchArgs);
    }

    /// <summary>The job array for <paramref name="worker"/>: <paramref name="tasks"/> tasks, logs under results/slurm/.</summary>
    public static SlurmArrayRequest Request(LauncherSettings settings, WorkerArguments worker, WorkerStore store, int tasks, string baseDirectory)
    {
        var command = new List<string>
        {
            ProcessTrialRunner.DefaultDotNetPath,
            ProcessTrialRunner.DefaultTunerDllPath,
            "worker",
            "--study", worker.Study,
            "--storage", store.Location,
            "--threads", worker.Threads.ToString(CultureInfo.InvariantCulture),
            "--device", worker.Device,
            "--cap", worker.Cap.ToString("R", CultureInfo.InvariantCulture),
            "--idle", string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(worker.Idle.TotalSeconds)}s"),
        };
        if (!worker.Prune)
        {
            command.Add("--no-prune");
        }

        if (worker.SuiteFile is string suite)
        {
            command.AddRange(["--suite", suite]);
        }

        if (worker.DataDirectory is string data)
        {
            command.AddRange(["--data-dir", data]);
        }

        if (worker.MemoryLimitBytes is long limit)
        {
            command.AddRange(["--memory-limit", limit.ToString(CultureInfo.InvariantCulture) + "B"]);
        }

        string name = "tuner-" + StudySetup.Safe(worker.Study);
        return new SlurmArrayRequest
        {
            JobName = name.Length <= 64 ? name : name[..64],
            Tasks = tasks,
            MaxRunning = settings.MaxRunning,
            CpusPerTask = worker.Threads,
            GpusPerTask = settings.GpusPerTask,
            TimeLimit = JobTime(settings),
            Partition = settings.Partition?.Trim(),
            Account = settings.Account?.Trim(),
            ExtraArguments = settings.SbatchArgs,
            OutputDirectory = Path.Combine(baseDirectory, "results", "slurm"),
            WorkingDirectory = baseDirectory,
            Command = command,
            Environment = store.Environment,
        };
    }

    /// <summary>The worker pool of <c>--launcher slurm</c>.</summary>
    public static SlurmWorkerPool Pool(SlurmArrayRequest request, WorkerStore store, CliContext cli) =>
        new(Client(store), request, new LineProgress(cli));

    /// <summary>Slurm's commands from <c>$TUNER_SLURM_BIN</c> or the PATH, with the store's password masked in what they print.</summary>
    public static SlurmClient Client(WorkerStore store) => new(Environment.GetEnvironmentVariable("TUNER_SLURM_BIN"), store.Redact);

    private static TimeSpan? JobTime(LauncherSettings settings)
    {
        TimeSpan? time = StudySetup.Duration(settings.JobTime, "--job-time");
        if (time is TimeSpan t && t < TimeSpan.FromMinutes(2))
        {
            throw new TunerInputException($"--job-time {settings.JobTime} is too short: a task needs at least 2 minutes (Slurm counts whole minutes, and the workers get SIGTERM 60 s before the end)");
        }

        return time;
    }

    private static void Name(string? value, string option)
    {
        if (value is not null && (value.Trim().Length == 0 || !value.Trim().All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or ',')))
        {
            throw new TunerInputException($"{option} '{value}' is not a Slurm name: use letters, digits, - _ . (and , between partitions)");
        }
    }
}

/// <summary>
/// A search whose trials run in a Slurm job array (<c>--launcher slurm</c>): this process only proposes (it keeps
/// <c>--queue</c>, by default one trial per task, waiting), the array's <c>tuner worker --study</c> tasks claim and run
/// the trials, and the array is cancelled when the study is done or the command is interrupted.
/// </summary>
internal sealed class ClusterLaunch
{
    private readonly LauncherSettings _settings;
    private readonly WorkerArguments _worker;
    private readonly string _baseDirectory;
    private readonly int _tasks;

    private ClusterLaunch(Runner.Search.SearchOptions options, LauncherSettings settings, WorkerArguments worker, WorkerStore store, int tasks, string baseDirectory)
    {
        Options = options;
        Store = store;
        _settings = settings;
        _worker = worker;
        _tasks = tasks;
        _baseDirectory = baseDirectory;
        Request = LauncherSetup.Request(settings, worker, store, tasks, baseDirectory);
    }

    /// <summary>The search's options as the proposer runs them (the queue sized to the array).</summary>
    public Runner.Search.SearchOptions Options { get; }

    public SlurmArrayRequest Request { get; }

    public WorkerStore Store { get; }

    /// <summary>Checks the launcher options; null for <c>--launcher local</c>.</summary>
    public static ClusterLaunch? Plan(StudySettings settings, Runner.Search.SearchOptions options, string baseDirectory)
    {
        LauncherSetup.Check(settings, settings.Workers);
        if (!settings.OnSlurm)
        {
            return null;
        }

        WorkerStore store = StoreLocation.ForWorkers(StudySetup.StoragePath(settings, baseDirectory), "--launcher slurm");
        LauncherSetup.Client(store).EnsureInstalled();
        Runner.Search.SearchOptions proposer = options with { QueueAhead = settings.Queue > 0 ? settings.Queue : settings.Workers };
        var worker = new WorkerArguments(
            proposer.StudyName,
            SuiteFile(proposer.Suite),
            proposer.Host.Threads ?? 1,
            proposer.Host.Device,
            proposer.Host.DataDirectory,
            proposer.Host.MemoryLimitBytes,
            proposer.CapFactor,
            proposer.Prune,
            LauncherSetup.DefaultIdle);
        return new ClusterLaunch(proposer, settings, worker, store, settings.Workers, baseDirectory);
    }

    /// <summary>The suite file workers load, for a suite that is not built in; null for a built-in one (they know it by name).</summary>
    public static string? SuiteFile(Suites.Specs.SuiteSpec suite) =>
        Suites.Specs.SuiteCatalog.Reference(suite) is string reference && reference != suite.Name ? reference : null;

    /// <summary>
    /// Submits the array of the recommendation's validation study (<c>NAME@validate</c>): at most one task per trial of
    /// the first batch, without capping or pruning (validation runs every seed to the target or the budget).
    /// </summary>
    public async Task<Runner.Search.IWorkerPool> StartValidationAsync(CliContext cli, int firstBatch, CancellationToken cancellationToken)
    {
        WorkerArguments validation = _worker with { Study = Options.StudyName + Runner.Search.Recommender.ValidationSuffix, Cap = 0, Prune = false };
        SlurmArrayRequest request = LauncherSetup.Request(_settings, validation, Store, Math.Clamp(firstBatch, 1, _tasks), _baseDirectory);
        SlurmWorkerPool pool = LauncherSetup.Pool(request, Store, cli);
        await pool.StartAsync(0, cancellationToken).ConfigureAwait(false);
        return pool;
    }

    /// <summary>Submits the array and proposes until the study is done; the array is cancelled on return.</summary>
    public async Task<IReadOnlyList<Search.Tuners.TrialResult>> RunAsync(
        CliContext cli, IStudyStorage storage, Runner.Search.StudyRunner runner, Runner.Search.StudySession session, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(session.Study.Id, cancellationToken).ConfigureAwait(false);
        SlurmWorkerPool pool = LauncherSetup.Pool(Request, Store, cli);
        await pool.StartAsync(trials.Count(t => session.ToResult(t) is not null), cancellationToken).ConfigureAwait(false);
        return await StudyView.RunAsync(cli, progress => runner.ProposeAsync(Options, pool, progress, cancellationToken)).ConfigureAwait(false);
    }
}
