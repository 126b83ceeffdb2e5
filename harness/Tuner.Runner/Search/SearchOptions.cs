using Tuner.Core.Budgets;
using Tuner.Search.Space;
using Tuner.Suites.Specs;

namespace Tuner.Runner.Search;

/// <summary>One search: which study, over which space, with which tuner, and when to stop.</summary>
public sealed record SearchOptions
{
    public required string StudyName { get; init; }

    public required SuiteSpec Suite { get; init; }

    public required SearchSpace Space { get; init; }

    /// <summary>smac, cfo, random, grid, sh, hyperband or asha (see <see cref="TunerFactory"/>).</summary>
    public required string Tuner { get; init; }

    /// <summary>The budget of a full-fidelity trial.</summary>
    public required Budget Budget { get; init; }

    /// <summary>Overrides the suite's target value (null keeps it).</summary>
    public double? TargetValue { get; init; }

    public long TunerSeed { get; init; }

    /// <summary>The training seed of every search trial (one seed, so trials are compared on equal terms; the
    /// recommendation re-runs the best on fresh seeds).</summary>
    public long TrainingSeed { get; init; }

    /// <summary>Stop once the study has this many finished trials (counting those of earlier runs).</summary>
    public int? MaxTrials { get; init; }

    /// <summary>Stop starting new trials after this much wall-clock time in this run.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>
    /// When <see cref="TimeLimit"/> started counting, as a timestamp of the runner's clock: the command's start (so data
    /// loading and opening the store count, as <c>--time</c> promises); null counts from the start of the run.
    /// </summary>
    public long? StartedTimestamp { get; init; }

    /// <summary>
    /// Adaptive capping (SMAC's, for runtime objectives): stop a trial once its charged time passes this factor times
    /// the best time-to-target found so far (it cannot win); it is then censored as Pruned. 0 turns it off. Wall-clock
    /// budgets only.
    /// </summary>
    public double CapFactor { get; init; } = 2.0;

    /// <summary>Use the median pruner on intermediate evaluations.</summary>
    public bool Prune { get; init; } = true;

    public int GridPointsPerRange { get; init; } = 3;

    public int GridCap { get; init; } = 1000;

    /// <summary>Trials run at once by this process (each needs a runner that can run concurrently, i.e. the process runner).</summary>
    /// <summary>Where and how every trial of the search and its validation runs (device, threads, data cache, memory limit).</summary>
    public TrialHost Host { get; init; } = TrialHost.Default;

    public int Workers { get; init; } = 1;

    /// <summary>False for a claiming worker (<c>tuner worker --study</c>): it only runs trials another process proposed.</summary>
    public bool Propose { get; init; } = true;

    /// <summary>Trials kept waiting beyond this process's own, for claiming workers on other machines.</summary>
    public int QueueAhead { get; init; }

    /// <summary>A claiming worker stops after this long without a trial to run.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Claims a trial again after its worker stopped, at most this many times in all.</summary>
    public int MaxAttempts { get; init; } = 3;

    public string CreatedBy { get; init; } = string.Empty;
}
