using System.ComponentModel;
using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Runner.Processes;

namespace Tuner.Cli.Commands;

/// <summary>
/// Settings of <c>tuner worker</c>. With no options the worker runs one trial from a <see cref="WorkerRequest"/> on
/// stdin (the process runner's child). With <c>--study NAME --storage URL</c> it joins a study: it claims the trials
/// the study's proposer (a <c>tuner search</c> somewhere) queued and runs them, each in its own process.
/// </summary>
public sealed class WorkerSettings : CommandSettings
{
    [CommandOption("--study <NAME>")]
    [Description("Join this study: claim its waiting trials and run them (with --storage).")]
    public string? Study { get; set; }

    [CommandOption("--storage <URL>")]
    [Description("The study's store: postgres://user:password@host:port/db (or a SQLite file on this machine).")]
    public string? Storage { get; set; }

    [CommandOption("--suite <FILE>")]
    [Description("The suite JSON file, when the study's suite is not built in.")]
    public string? Suite { get; set; }

    [CommandOption("--threads <N>")]
    [Description("Intra-op torch threads per trial. Default: 1.")]
    [DefaultValue(1)]
    public int Threads { get; set; } = 1;

    [CommandOption("--device <DEVICE>")]
    [Description("auto (CUDA when present), cpu or cuda: with cuda, the GPU of CUDA_VISIBLE_DEVICES (Slurm sets it). Default: auto.")]
    [DefaultValue("auto")]
    public string Device { get; set; } = "auto";

    [CommandOption("--memory-limit <SIZE>")]
    [Description("Stop a trial whose resident memory passes SIZE (e.g. 4GiB); use the search's.")]
    public string? MemoryLimit { get; set; }

    [CommandOption("--workers <N>")]
    [Description("Trials this worker runs at once. Default: 1.")]
    [DefaultValue(1)]
    public int Workers { get; set; } = 1;

    [CommandOption("--idle <DURATION>")]
    [Description("Stop after this long with no trial to claim. Default: 2m.")]
    public string? Idle { get; set; }

    [CommandOption("--cap <FACTOR>")]
    [Description("Adaptive capping factor; use the search's. Default: 2.")]
    [DefaultValue(2.0)]
    public double Cap { get; set; } = 2.0;

    [CommandOption("--no-prune")]
    [Description("No median pruning; use it when the search has it.")]
    public bool NoPrune { get; set; }

    [CommandOption("--data-dir <DIR>")]
    [Description("Data cache folder.")]
    public string? DataDir { get; set; }

    [CommandOption("--oversubscribe")]
    [Description("Allow --threads above this machine's core count (slower; for measuring exactly that).")]
    public bool Oversubscribe { get; set; }
}

/// <summary>
/// <c>tuner worker</c> (internal, hidden from help): runs one trial from a JSON request on stdin and reports on stdout in
/// <see cref="WorkerProtocol"/> events; used by <see cref="ProcessTrialRunner"/>. Stdout carries protocol lines only:
/// everything else (data fetch messages, anything printed by accident) goes to stderr. Exits 0 after <c>finished</c> or
/// <c>failed</c>. For fault-injection tests, <c>TUNER_WORKER_FAULT</c> = <c>abort</c> (Environment.FailFast after the
/// first evaluation), <c>exit</c> (exit code 3 after the first evaluation) or <c>hang</c> (sleep forever after
/// <c>started</c>).
/// </summary>
[Description("Join a study from any machine: --study NAME --storage URL claims and runs its waiting trials. Without options: runs one trial from a JSON request on stdin (the process runner's child).")]
public sealed class WorkerCommand(CliContext cli) : AsyncCommand<WorkerSettings>
{
    /// <summary>The fault-injection variable (tests only); see <see cref="WorkerHost.FaultVariable"/>.</summary>
    public const string FaultVariable = WorkerHost.FaultVariable;

    /// <summary>Claiming mode: joins the study and runs what its proposer queues, until idle.</summary>
    private async Task<int> JoinAsync(WorkerSettings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Study) || string.IsNullOrWhiteSpace(settings.Storage))
        {
            throw new Core.Errors.TunerInputException("tuner worker joins a study with both --study NAME and --storage URL, e.g. tuner worker --study fashion-mlp-smac --storage postgres://tuner@db:5432/tuner");
        }

        if (settings.Workers is < 1 or > 256)
        {
            throw new Core.Errors.TunerInputException($"--workers {settings.Workers} is invalid: use a whole number from 1 to 256");
        }

        CommandChecks.Threads(settings.Threads, settings.Oversubscribe);
        CommandChecks.Threads(settings.Threads * settings.Workers, settings.Oversubscribe, $"--threads {settings.Threads} x --workers");

        TimeSpan idle = StudySetup.Duration(settings.Idle, "--idle") ?? TimeSpan.FromMinutes(2);
        string? dataDirectory = CommandChecks.DataDirectory(settings.DataDir, cli.BaseDirectory);
        CommandChecks.Cap(settings.Cap);
        string location = Storage.StoreLocation.Resolve(settings.Storage, cli.BaseDirectory);
        await using var storage = new Storage.Resilience.ResilientStudyStorage(
            await Storage.StudyStorage.OpenExistingAsync(location, TimeProvider.System, cancellationToken).ConfigureAwait(false),
            log: line => cli.Error.WriteLine($"tuner: {line}"));
        Storage.StudyInfo study = await storage.FindStudyAsync(settings.Study, cancellationToken).ConfigureAwait(false)
            ?? throw new Core.Errors.TunerInputException($"no study '{settings.Study}' in {storage}: start it with tuner search --study {settings.Study} --storage ... first");
        Storage.StudyDefinition definition = study.Definition;
        Suites.Specs.SuiteSpec suite = Suites.Specs.SuiteCatalog.Resolve(settings.Suite ?? definition.Suite, cli.BaseDirectory);
        if (suite.Name != definition.Suite)
        {
            throw new Core.Errors.TunerInputException($"study '{definition.Name}' is for suite '{definition.Suite}', but --suite names '{suite.Name}'");
        }

        var options = new Runner.Search.SearchOptions
        {
            StudyName = definition.Name,
            Suite = suite,
            Space = Search.Space.SearchSpaceFile.Parse(definition.SpaceJson, $"of study {definition.Name}", suite.Baseline, Runner.Search.RegistryTechniqueCatalog.Instance),
            Tuner = definition.Tuner,
            TunerSeed = definition.TunerSeed,
            Budget = definition.Budget,
            TargetValue = definition.TargetValue,
            Propose = false,
            IdleTimeout = idle,
            CapFactor = settings.Cap,
            Prune = !settings.NoPrune,
            Host = new Runner.TrialHost
            {
                Device = settings.Device,
                Threads = settings.Threads,
                DataDirectory = dataDirectory,
                MemoryLimitBytes = settings.MemoryLimit is null ? null : MemorySize.Parse(settings.MemoryLimit, "--memory-limit"),
            },
            Workers = settings.Workers,
            CreatedBy = "tuner worker",
        };
        cli.Console.WriteLine($"worker {Runner.Search.WorkerIdentity.Current} joined study {definition.Name} in {storage}: suite {suite.Name}, budget {definition.Budget}, device {settings.Device}{Allocation()}; stops after {idle.TotalSeconds:0} s without work");
        var runner = new InfrastructureRetryRunner(new ProcessTrialRunner(new ProcessTrialRunnerOptions { Log = new LineProgress(cli) }), log: new LineProgress(cli));
        IReadOnlyList<Search.Tuners.TrialResult> results = await new Runner.Search.StudyRunner(storage, runner)
            .RunAsync(options, new JoinProgress(cli), cancellationToken).ConfigureAwait(false);
        cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worker done: the study has {results.Count} finished trials"));
        return ExitCodes.Ok;
    }

    /// <summary>The scheduler's allocation, when there is one: ", Slurm job 12_3, CUDA_VISIBLE_DEVICES=1".</summary>
    private static string Allocation() =>
        (Core.Trials.EnvironmentManifest.CurrentSlurmJob is string job ? $", Slurm job {job}" : string.Empty) +
        (Core.Trials.EnvironmentManifest.CurrentCudaVisibleDevices is string devices ? $", CUDA_VISIBLE_DEVICES={devices}" : string.Empty);

    /// <summary>One line per trial this worker finished.</summary>
    private sealed class JoinProgress(CliContext cli) : IProgress<Runner.Search.StudyProgress>
    {
        public void Report(Runner.Search.StudyProgress value)
        {
            if (value.Last is Search.Tuners.TrialResult last)
            {
                cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trial {last.Number}: {StudyView.Describe(last)} | {last.Proposal.Candidate.Configuration}"));
            }
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, WorkerSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Study is not null || settings.Storage is not null)
        {
            return await JoinAsync(settings, cancellationToken).ConfigureAwait(false);
        }

        if (!Console.IsInputRedirected)
        {
            // A person typed `tuner worker` at a terminal: the child protocol would wait for a JSON line forever.
            throw new Core.Errors.TunerInputException("tuner worker joins a study with --study NAME and --storage URL (without them it serves the process runner over stdin), e.g. tuner worker --study digits-mlp-smac --storage results/studies.db");
        }

        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        Stream stdout = Console.OpenStandardOutput();
        Console.SetOut(cli.Error); // stdout belongs to the protocol from here on
        using var stdin = new StreamReader(Console.OpenStandardInput(), utf8);
        await WorkerHost.RunAsync(stdin, stdout, cli.Error, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
