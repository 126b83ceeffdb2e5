using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Errors;
using Tuner.Storage;

namespace Tuner.Cli.Commands;

public sealed class LaunchSettings : LauncherSettings
{
    [CommandOption("--study <NAME>")]
    [Description("The study whose waiting trials the workers claim (it must exist in --storage).")]
    public string? Study { get; set; }

    [CommandOption("--storage <URL>")]
    [Description("The study's PostgreSQL store: postgres://user@host:port/db (the password, if any, reaches the workers through their environment only).")]
    public string? Storage { get; set; }

    [CommandOption("--workers <N>")]
    [Description("Array tasks, each one worker running one trial at a time. Default: 1.")]
    [DefaultValue(1)]
    public int Workers { get; set; } = 1;

    [CommandOption("--cap <FACTOR>")]
    [Description("Adaptive capping factor; use the search's. Default: 2.")]
    [DefaultValue(2.0)]
    public double Cap { get; set; } = 2.0;

    [CommandOption("--no-prune")]
    [Description("No median pruning; use it when the search has it.")]
    public bool NoPrune { get; set; }

    [CommandOption("--idle <DURATION>")]
    [Description("A worker stops after this long with no trial to claim. Default: 10m.")]
    public string? Idle { get; set; }
}

/// <summary>
/// <c>tuner launch --study S --storage URL --launcher slurm --workers N</c>: submits one Slurm job array of
/// <c>tuner worker --study S</c> tasks for an existing study and returns; the tasks run whatever its proposer (a
/// <c>tuner search --queue N</c> elsewhere) queues, and stop after <c>--idle</c> without work.
/// </summary>
[Description("Start workers for an existing study on a cluster: --study S --storage URL --launcher slurm --workers N submits a Slurm job array of tuner worker tasks and returns.")]
public sealed class LaunchCommand(CliContext cli) : AsyncCommand<LaunchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LaunchSettings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Study) || string.IsNullOrWhiteSpace(settings.Storage))
        {
            throw new TunerInputException("tuner launch starts workers for a study with --study NAME and --storage postgres://USER@HOST:PORT/DATABASE, e.g. tuner launch --study digits-mlp-smac --storage postgres://tuner@db:5432/tuner --launcher slurm --workers 4");
        }

        if (!settings.OnSlurm)
        {
            throw new TunerInputException("tuner launch needs --launcher slurm (on this machine, start tuner worker --study NAME --storage URL yourself, or use tuner search --workers N)");
        }

        if (settings.Budget is not null || settings.Target is not null)
        {
            throw new TunerInputException("tuner launch takes the budget and target from the study: drop --budget and --target");
        }

        if (settings.Workers is < 1 or > 256)
        {
            throw new TunerInputException($"--workers {settings.Workers} is invalid: use a whole number from 1 to 256");
        }

        LauncherSetup.Check(settings, settings.Workers);
        CommandChecks.Cap(settings.Cap);
        TimeSpan idle = StudySetup.Duration(settings.Idle, "--idle") ?? LauncherSetup.DefaultIdle;
        string? dataDirectory = CommandChecks.DataDirectory(settings.DataDir, cli.BaseDirectory);
        string location = StoreLocation.Resolve(settings.Storage, cli.BaseDirectory);
        WorkerStore store = StoreLocation.ForWorkers(location, "tuner launch");
        LauncherSetup.Client(store).EnsureInstalled();

        await using IStudyStorage storage = await StudySetup.OpenExistingStorageAsync(settings.Storage, cli, cancellationToken).ConfigureAwait(false);
        StudyInfo study = await storage.FindStudyAsync(settings.Study.Trim(), cancellationToken).ConfigureAwait(false)
            ?? throw new TunerInputException($"no study '{settings.Study}' in {storage}: start it with tuner search --study {settings.Study} --storage ... first");
        Suites.Specs.SuiteSpec suite = Suites.Specs.SuiteCatalog.Resolve(settings.Suite ?? study.Definition.Suite, cli.BaseDirectory);
        if (suite.Name != study.Definition.Suite)
        {
            throw new TunerInputException($"study '{study.Definition.Name}' is for suite '{study.Definition.Suite}', but --suite names '{suite.Name}'");
        }

        var worker = new WorkerArguments(
            study.Definition.Name,
            ClusterLaunch.SuiteFile(suite),
            settings.TrainingThreads ?? 1,
            settings.Device,
            dataDirectory,
            settings.MemoryLimitBytes,
            settings.Cap,
            !settings.NoPrune,
            idle);
        Runner.Cluster.SlurmWorkerPool pool = LauncherSetup.Pool(LauncherSetup.Request(settings, worker, store, settings.Workers, cli.BaseDirectory), store, cli);
        IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(study.Id, cancellationToken).ConfigureAwait(false);
        string id = await pool.StartAsync(trials.Count(t => t.State == TrialState.Finished), cancellationToken).ConfigureAwait(false);
        cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"study {study.Definition.Name}: {trials.Count(t => t.State == TrialState.Waiting)} trials waiting; watch the workers with squeue -j {id}, stop them with scancel {id} (they hand their trials back); they stop by themselves after {idle.TotalSeconds:0} s without work"));
        return ExitCodes.Ok;
    }
}
