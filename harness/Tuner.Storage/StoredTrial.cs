using Tuner.Core.Trials;

namespace Tuner.Storage;

/// <summary>Where a trial is in its life. Finished states carry a record.</summary>
public enum TrialState
{
    Waiting,
    Running,

    /// <summary>Finished with a record (Reached, NotReached, Pruned, Diverged or Failed in the record).</summary>
    Finished,

    /// <summary>Given up by the store after its worker stopped too many times (see <see cref="StoredTrial.Note"/>); no record. Counts as Failed.</summary>
    Abandoned,
}

/// <summary>A trial as stored: a read-only snapshot.</summary>
/// <param name="StudyId">The study it belongs to.</param>
/// <param name="Number">0-based, dense within the study, never reused.</param>
/// <param name="State">Waiting, Running or Finished.</param>
/// <param name="Plan">What to run.</param>
/// <param name="Attempts">How many times it has been claimed (an interrupted trial is claimed again).</param>
/// <param name="WorkerId">The worker that holds or held it.</param>
/// <param name="HeartbeatAt">When its worker last said it was alive.</param>
/// <param name="Record">The result, when finished.</param>
/// <param name="Note">Why it was re-queued or failed by the store (e.g. "worker host:123 stopped; re-queued").</param>
public sealed record StoredTrial(
    long StudyId,
    int Number,
    TrialState State,
    TrialPlan Plan,
    int Attempts,
    string? WorkerId,
    DateTimeOffset? HeartbeatAt,
    TrialRecord? Record,
    string? Note);
