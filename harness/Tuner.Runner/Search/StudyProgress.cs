using Tuner.Core.Trials;
using Tuner.Search.Tuners;
using Tuner.Training.Engine;

namespace Tuner.Runner.Search;

/// <summary>What a live view shows of a running search. Immutable snapshot.</summary>
/// <param name="Finished">Finished trials in the study (all runs).</param>
/// <param name="MaxTrials">The stop condition in trials, if any.</param>
/// <param name="Elapsed">Wall-clock time of this run.</param>
/// <param name="Remaining">Estimated time left (null when unknown).</param>
/// <param name="Best">The best trial so far (lowest censored score), if any.</param>
/// <param name="Current">The running trial's number, configuration and fidelity, if one runs.</param>
/// <param name="CurrentNumber">The running trial's number.</param>
/// <param name="Training">The running trial's latest training progress.</param>
/// <param name="Last">The trial that just finished (set on the snapshot reported right after it).</param>
/// <param name="Workers">What the launcher says of the workers it started (e.g. a Slurm array's running and pending tasks), if any.</param>
public sealed record StudyProgress(
    int Finished,
    int? MaxTrials,
    TimeSpan Elapsed,
    TimeSpan? Remaining,
    TrialResult? Best,
    Proposal? Current,
    int? CurrentNumber,
    TrainingProgress? Training,
    TrialResult? Last,
    string? Workers = null);
