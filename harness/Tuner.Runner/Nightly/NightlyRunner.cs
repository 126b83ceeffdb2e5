using System.Globalization;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Reports.Nightly;
using Tuner.Runner.Search;
using Tuner.Storage;
using Tuner.Techniques.Systems.InjectedSlowdown;
using Tuner.Training.Runtime;

namespace Tuner.Runner.Nightly;

/// <summary>How one night runs.</summary>
public sealed record NightlyOptions
{
    /// <summary>Data cache root; null uses the default.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Injected slowdowns by configuration (see <see cref="SlowdownRule"/>); a night with any is a test and never becomes history.</summary>
    public IReadOnlyList<SlowdownRule> Slowdowns { get; init; } = [];

    /// <summary>Free text stored with the night's studies (command line, version).</summary>
    public string CreatedBy { get; init; } = string.Empty;
}

/// <summary>
/// An injected slowdown: <c>LABEL=FACTOR</c>, <c>SUITE/LABEL=FACTOR</c> or <c>*=FACTOR</c> (every configuration).
/// Every training step of the matching trials really takes FACTOR times as long (the internal technique <see cref="InjectedSlowdownTechnique"/>).
/// </summary>
public sealed record SlowdownRule(string? Suite, string Label, double Factor)
{
    public static SlowdownRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.LastIndexOf('=');
        if (eq <= 0 || !double.TryParse(text[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double factor) || !(factor > 1 && factor <= 100))
        {
            throw new TunerInputException($"--inject-slowdown '{text}' is invalid: write LABEL=FACTOR, SUITE/LABEL=FACTOR or *=FACTOR with FACTOR in (1, 100], e.g. --inject-slowdown baseline=1.3");
        }

        string target = text[..eq].Trim();
        int slash = target.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new SlowdownRule(null, target, factor) : new SlowdownRule(target[..slash], target[(slash + 1)..], factor);
    }

    public bool Matches(string suite, string label) =>
        (Suite is null || string.Equals(Suite, suite, StringComparison.Ordinal)) && (Label == "*" || string.Equals(Label, label, StringComparison.Ordinal));
}

/// <summary>A line of progress from a night.</summary>
public sealed record NightlyProgress(string Suite, string Label, long Seed, int Done, int Total, TrialRecord? Record);

/// <summary>
/// Runs a nightly manifest: validates the whole plan first (suites, data present, every configuration trains for two
/// steps), then, suite by suite, stores the night as a study named <c>MANIFEST/NIGHT/SUITE</c> (tuner "nightly", the
/// plan as its space JSON), queues every configuration x seed (seed-major, the configuration order rotated per seed,
/// so drift on the machine hits every configuration alike), and runs them in this process, one at a time, each result
/// recorded in the store as it finishes, with the machine's speed measured just before it (<see cref="MachineCalibration"/>). Analysis and reports read the store (<see cref="NightlyAnalysis"/>).
/// </summary>
public sealed class NightlyRunner(IStudyStorage storage, ITrialRunner runner, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// Checks data, models and techniques of every configuration by training each for two steps on
    /// <paramref name="runner"/>; throws a one-line error naming the first that fails. Needs no store: nothing is written.
    /// </summary>
    public static async Task ValidateAsync(InProcessTrialRunner runner, NightlyManifest manifest, NightlyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        foreach (SlowdownRule rule in options.Slowdowns)
        {
            bool matches = manifest.Suites.Any(s => s.Configurations.Any(c => rule.Matches(s.Suite.Name, c.Label)));
            if (!matches)
            {
                throw new TunerInputException($"--inject-slowdown {rule.Suite}{(rule.Suite is null ? string.Empty : "/")}{rule.Label}: no configuration of {manifest.SourcePath} has that label (labels: {string.Join(", ", manifest.Suites.SelectMany(s => s.Configurations.Select(c => c.Label)).Distinct())})");
            }
        }

        foreach (NightlySuite suite in manifest.Suites)
        {
            foreach (TrackedConfiguration configuration in suite.Configurations)
            {
                TrialRequest request = Request(manifest, suite, configuration, suite.Seeds[0], options, slowed: false) with { Budget = Budget.Steps(2), PairWithReference = false };
                try
                {
                    await runner.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (TunerInputException ex)
                {
                    throw new TunerInputException($"{manifest.SourcePath}: suite {suite.Suite.Name}: {ex.Message}", ex);
                }

                TrialRecord smoke = await runner.RunAsync(request, null, cancellationToken).ConfigureAwait(false);
                if (smoke.Status is TrialStatus.Failed or TrialStatus.Diverged or TrialStatus.OverMemory)
                {
                    throw new TunerInputException($"{manifest.SourcePath}: suite {suite.Suite.Name}, configuration '{configuration.Label}' cannot train ({smoke.FailureReason ?? smoke.Status.ToString()}): fix its techniques or settings");
                }
            }
        }
    }

    /// <summary>Runs the night; returns its id (UTC start time, e.g. <c>2026-11-30T02-15-00Z</c>, made unique in the store).</summary>
    public async Task<string> RunAsync(NightlyManifest manifest, NightlyOptions options, IProgress<NightlyProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        string night = await NewNightIdAsync(manifest.Name, cancellationToken).ConfigureAwait(false);
        var studies = new List<(NightlySuite Suite, StudyInfo Study)>();
        foreach (NightlySuite suite in manifest.Suites)
        {
            var plan = new NightPlan
            {
                Manifest = manifest.Name,
                Night = night,
                Suite = suite.Suite.Name,
                Baseline = suite.Baseline.Label,
                Configurations = [.. suite.Configurations.Select(c => new NightConfiguration(c.Label, c.Configuration.ToString(), Slowdown(options, suite, c)))],
                Seeds = suite.Seeds,
                Threads = manifest.Threads,
                Policy = manifest.Policy,
            };
            StudyInfo study = await storage.OpenStudyAsync(new StudyDefinition
            {
                Name = NightPlan.StudyName(manifest.Name, night, suite.Suite.Name),
                Suite = suite.Suite.Name,
                Tuner = NightPlan.TunerName,
                TunerSeed = 0,
                Budget = suite.Budget,
                TargetMetric = suite.Suite.Target.StudyMetric,
                TargetValue = suite.Target,
                SpaceJson = plan.ToJson(),
                CreatedBy = options.CreatedBy,
            }, cancellationToken).ConfigureAwait(false);
            for (int s = 0; s < suite.Seeds.Count; s++)
            {
                for (int k = 0; k < suite.Configurations.Count; k++)
                {
                    TrackedConfiguration configuration = suite.Configurations[(s + k) % suite.Configurations.Count];
                    await storage.EnqueueTrialAsync(study.Id, new TrialPlan(configuration.Configuration, [], 1.0, configuration.Label, suite.Seeds[s]), cancellationToken).ConfigureAwait(false);
                }
            }

            studies.Add((suite, study));
        }

        int total = manifest.TrialCount;
        int done = 0;
        string worker = WorkerIdentity.Current;
        foreach ((NightlySuite suite, StudyInfo study) in studies)
        {
            while (await storage.ClaimTrialAsync(study.Id, worker, cancellationToken).ConfigureAwait(false) is { } trial)
            {
                TrackedConfiguration configuration = suite.Configurations.First(c => c.Label == trial.Plan.Tag);
                progress?.Report(new NightlyProgress(suite.Suite.Name, configuration.Label, trial.Plan.Seed, done, total, null));
                // The machine's speed just before the trial (outside its charged time), so the analysis can tell a busier machine from slower code.
                TorchRuntime.SetThreads(manifest.Threads);
                double calibration = MachineCalibration.MeasureStepSeconds();
                TrialRecord record;
                try
                {
                    record = await runner.RunAsync(Request(manifest, suite, configuration, trial.Plan.Seed, options), null, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Interrupted (Ctrl-C, SIGTERM): the trial goes back to waiting, not left "running" by a process that is gone.
                    await storage.ReleaseTrialAsync(study.Id, trial.Number, worker, $"handed back at {_time.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z: the night was interrupted", CancellationToken.None).ConfigureAwait(false);
                    throw;
                }

                record = record with { Environment = record.Environment with { CalibrationStepSeconds = calibration } };
                await storage.FinishTrialAsync(study.Id, trial.Number, worker, record, CancellationToken.None).ConfigureAwait(false);
                progress?.Report(new NightlyProgress(suite.Suite.Name, configuration.Label, trial.Plan.Seed, ++done, total, record));
            }
        }

        return night;
    }

    /// <summary>
    /// One night's trial of <paramref name="configuration"/>. An injected slowdown (<see cref="SlowdownRule"/>) is the
    /// internal technique <c>injected_slowdown</c> added to its configuration, so the record says what ran; the night's
    /// history is matched on the manifest's configuration, without it.
    /// </summary>
    private static TrialRequest Request(NightlyManifest manifest, NightlySuite suite, TrackedConfiguration configuration, long seed, NightlyOptions options, bool slowed = true) => new()
    {
        Suite = suite.Suite,
        Configuration = slowed && Slowdown(options, suite, configuration) is > 1.0 and double factor
            ? configuration.Configuration with { Techniques = [.. configuration.Configuration.Techniques, new TechniqueSpec(InjectedSlowdownTechnique.TechniqueName, new SortedDictionary<string, string>(StringComparer.Ordinal) { ["factor"] = factor.ToString("R", CultureInfo.InvariantCulture) })] }
            : configuration.Configuration,
        Budget = suite.Budget,
        Seed = seed,
        Host = new TrialHost { Device = manifest.Device, Threads = manifest.Threads, DataDirectory = options.DataDirectory },
        TargetValue = suite.Target,
        PairWithReference = true,
    };

    private static double Slowdown(NightlyOptions options, NightlySuite suite, TrackedConfiguration configuration) =>
        options.Slowdowns.LastOrDefault(r => r.Matches(suite.Suite.Name, configuration.Label))?.Factor ?? 1.0;

    private async Task<string> NewNightIdAsync(string manifest, CancellationToken cancellationToken)
    {
        string stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss'Z'", CultureInfo.InvariantCulture);
        IReadOnlyList<string> existing = await NightlyAnalysis.ListNightsAsync(storage, manifest, cancellationToken).ConfigureAwait(false);
        string night = stamp;
        for (int n = 2; existing.Contains(night, StringComparer.Ordinal); n++)
        {
            night = string.Create(CultureInfo.InvariantCulture, $"{stamp}-{n}");
        }

        return night;
    }
}
