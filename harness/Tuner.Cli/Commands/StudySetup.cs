using Tuner.Search.Tuners;
using System.Globalization;
using Tuner.Core.Budgets;
using Tuner.Core.Errors;
using Tuner.Core.Files;
using Tuner.Runner.Search;
using Tuner.Search.Space;
using Tuner.Storage;
using Tuner.Cli.Infrastructure;
using Tuner.Runner;
using Tuner.Runner.Processes;
using Tuner.Storage.Resilience;
using Tuner.Suites.Specs;
using Tuner.Training.Runtime;

namespace Tuner.Cli.Commands;

/// <summary>Turns <see cref="StudySettings"/> into validated search options and opens the study store, before anything runs.</summary>
internal static class StudySetup
{
    /// <summary>
    /// Every option checked, and every path resolved against <paramref name="baseDirectory"/>, before a store is opened or
    /// a trial runs: bad input creates nothing.
    /// </summary>
    public static SearchOptions Options(StudySettings settings, TimeSpan? timeLimit, string createdBy, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(settings.Suite))
        {
            throw new TunerInputException("missing --suite: name a built-in suite (tuner list suites) or a suite JSON file, e.g. --suite digits-mlp");
        }

        string tuner = settings.Tuner.Trim().ToLowerInvariant();
        TunerCatalog.Validate(tuner);
        SuiteSpec suite = SuiteCatalog.Resolve(settings.Suite, baseDirectory);
        Budget budget = settings.Budget is null ? suite.DefaultBudget : Budget.Parse(settings.Budget);
        if (settings.Trials is int trials && trials < 1)
        {
            throw new TunerInputException($"--trials {trials} is invalid: use a whole number >= 1");
        }

        if (settings.Workers < 1 || settings.Workers > 256)
        {
            throw new TunerInputException($"--workers {settings.Workers} is invalid: use a whole number from 1 to 256");
        }

        int threads = settings.TrainingThreads ?? 1;
        CommandChecks.Threads(threads * settings.Workers, settings.Oversubscribe, $"--threads {threads} x --workers");
        CommandChecks.Seed(settings.Seed, "--seed");
        CommandChecks.Seed(settings.TrainingSeed, "--training-seed");
        CommandChecks.NotEmpty(settings.Study, "--study");
        string? dataDirectory = CommandChecks.DataDirectory(settings.DataDir, baseDirectory);
        if (settings.Report is not null)
        {
            _ = UserPaths.File(settings.Report, "--report", baseDirectory);
        }

        CommandChecks.NotEmpty(settings.Space, "--space");

        CommandChecks.Cap(settings.Cap);

        if (settings.Queue < 0 || settings.Queue > 10_000)
        {
            throw new TunerInputException($"--queue {settings.Queue} is invalid: use a whole number from 0 to 10000");
        }

        if (settings.GridPoints is < 1 or > 100 || settings.GridCap is < 1 or > MaxGridCap)
        {
            throw new TunerInputException($"--grid-points must be a whole number in [1, 100] and --grid-cap one in [1, {MaxGridCap}] (a grid larger than that never finishes)");
        }

        SearchSpace space = settings.Space is null
            ? DefaultSpace.For(suite.Baseline, RegistryTechniqueCatalog.Instance, suite.Facts, suite.Name)
            : SearchSpaceFile.Load(UserPaths.Full(settings.Space, "--space", baseDirectory), suite.Baseline, RegistryTechniqueCatalog.Instance, (suite.Facts, suite.Name));
        return new SearchOptions
        {
            StudyName = string.IsNullOrWhiteSpace(settings.Study) ? $"{suite.Name}-{tuner}" : settings.Study.Trim(),
            Suite = suite,
            Space = space,
            Tuner = tuner,
            Budget = budget,
            TargetValue = settings.TargetFor(suite),
            TunerSeed = settings.Seed,
            TrainingSeed = settings.TrainingSeed,
            MaxTrials = settings.Trials,
            TimeLimit = timeLimit,
            CapFactor = settings.Cap,
            Prune = !settings.NoPrune,
            GridPointsPerRange = settings.GridPoints,
            GridCap = settings.GridCap,
            Host = new TrialHost { Device = settings.Device, Threads = threads, DataDirectory = dataDirectory, MemoryLimitBytes = settings.MemoryLimitBytes },
            Workers = settings.Workers,
            QueueAhead = settings.Queue,
            CreatedBy = createdBy,
        };
    }

    /// <summary>The largest --grid-cap: a million trials of even a second each would take eleven days.</summary>
    public const int MaxGridCap = 1_000_000;

    /// <summary>Parses a wall-clock duration such as 90s or 10m (at most 30 days); null when <paramref name="text"/> is null.</summary>
    public static TimeSpan? Duration(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        if (!Budget.TryParse(text, out Budget budget, out _) || budget.Unit != BudgetUnit.WallClock)
        {
            throw new TunerInputException($"{option} '{text}' is invalid: give a wall-clock time such as 90s, 10m or 1h (at most 30 days)");
        }

        return TimeSpan.FromSeconds(budget.Amount);
    }

    /// <summary>The store's location: a PostgreSQL URL as given, or a SQLite file path made absolute.</summary>
    public static string StoragePath(StudySettings settings, string baseDirectory) => StoragePath(settings.Storage, baseDirectory);

    /// <summary>--storage as given (a PostgreSQL URL, or a SQLite path relative to the base directory); default results/studies.db.</summary>
    public static string StoragePath(string? storage, string baseDirectory) => StoreLocation.Resolve(storage, baseDirectory);

    /// <summary>Opens the store with retries on transient errors (Polly), logging retries as lines.</summary>
    public static Task<IStudyStorage> OpenStorageAsync(StudySettings settings, CliContext cli, CancellationToken cancellationToken) =>
        OpenStorageAsync(settings.Storage, cli, cancellationToken);

    /// <summary>Opens the store named by --storage (see <see cref="StoragePath(string?, string)"/>) with retries on transient errors.</summary>
    public static Task<IStudyStorage> OpenStorageAsync(string? storage, CliContext cli, CancellationToken cancellationToken) =>
        OpenStorageAsync(storage, cli, existingOnly: false, cancellationToken);

    /// <summary>Opens an existing store for a read-only command: a SQLite file that is not there is an error, never created.</summary>
    public static Task<IStudyStorage> OpenExistingStorageAsync(string? storage, CliContext cli, CancellationToken cancellationToken) =>
        OpenStorageAsync(storage, cli, existingOnly: true, cancellationToken);

    private static async Task<IStudyStorage> OpenStorageAsync(string? storage, CliContext cli, bool existingOnly, CancellationToken cancellationToken)
    {
        string location = StoragePath(storage, cli.BaseDirectory);
        IStudyStorage inner = existingOnly
            ? await StudyStorage.OpenExistingAsync(location, TimeProvider.System, cancellationToken).ConfigureAwait(false)
            : await StudyStorage.OpenAsync(location, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return new ResilientStudyStorage(inner, log: line => cli.Error.WriteLine($"tuner: {line}"));
    }

    /// <summary>Where trials run: in this process (one worker, fastest for small trials), or one worker process per trial
    /// (--workers above 1 or --isolate), with infrastructure failures retried.</summary>
    public static ITrialRunner Runner(StudySettings settings, CliContext cli, InProcessTrialRunner inProcess) =>
        settings.Workers > 1 || settings.Isolate
            ? new InfrastructureRetryRunner(new ProcessTrialRunner(new ProcessTrialRunnerOptions { Log = new LineProgress(cli) }), log: new LineProgress(cli))
            : inProcess;

    public static string ReportPath(StudySettings settings, string baseDirectory, string study, string suffix) =>
        settings.Report is not null && suffix == "trials"
            ? UserPaths.File(settings.Report, "--report", baseDirectory)
            : Path.Combine(baseDirectory, "results", "reports", $"{Safe(study)}-{suffix}.csv");

    /// <summary>A study name as a file name: letters, digits, - _ . kept, anything else _.</summary>
    internal static string Safe(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));
}
