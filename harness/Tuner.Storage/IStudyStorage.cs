using Tuner.Core.Trials;

namespace Tuner.Storage;

/// <summary>
/// Where studies live: their definition, and their trials as a queue (waiting, then claimed by one runner, then
/// finished with its record). Every call is one transaction; a trial's record and its final state are written
/// together, so a crash never leaves a half result that reads as finished. Implementations: SQLite (embedded, one
/// machine) and PostgreSQL (many machines); one contract test suite runs against both.
/// </summary>
public interface IStudyStorage : IAsyncDisposable
{
    /// <summary>
    /// Creates the study, or opens it when a study of that name exists. Opening a study whose suite, tuner, budget,
    /// target or space differ throws <c>TunerInputException</c> naming the difference; nothing is written then.
    /// </summary>
    Task<StudyInfo> OpenStudyAsync(StudyDefinition definition, CancellationToken cancellationToken);

    /// <summary>The study named <paramref name="name"/>, or null (what a claiming worker joins: it reads the definition).</summary>
    Task<StudyInfo?> FindStudyAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every study whose name starts with <paramref name="namePrefix"/> (empty: all), oldest first (what a nightly history or a report lists).</summary>
    Task<IReadOnlyList<StudyInfo>> ListStudiesAsync(string namePrefix, CancellationToken cancellationToken);

    /// <summary>Adds a trial in state Waiting with the next trial number of the study.</summary>
    Task<StoredTrial> EnqueueTrialAsync(long studyId, TrialPlan plan, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the waiting trial with the lowest number for <paramref name="workerId"/> (state Running, attempts + 1,
    /// heartbeat now), or null when none waits. Never hands one trial to two callers.
    /// </summary>
    Task<StoredTrial?> ClaimTrialAsync(long studyId, string workerId, CancellationToken cancellationToken);

    /// <summary>Marks a claimed trial as alive. False when the trial is no longer this worker's (it was re-queued).</summary>
    Task<bool> HeartbeatAsync(long studyId, int number, string workerId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the record of a claimed trial and its final state (from <see cref="TrialRecord.Status"/>) in one
    /// transaction. False (nothing written) when the trial is no longer this worker's.
    /// </summary>
    Task<bool> FinishTrialAsync(long studyId, int number, string workerId, TrialRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Returns Running trials to Waiting when their worker is gone: their heartbeat is older than
    /// <paramref name="staleAfter"/>, or <paramref name="isWorkerAlive"/> says their worker is dead (for workers on
    /// this machine). A trial that has been claimed <paramref name="maxAttempts"/> times is abandoned
    /// instead (state Abandoned). Returns the trials re-queued or abandoned.
    /// </summary>
    Task<IReadOnlyList<StoredTrial>> RequeueAbandonedAsync(long studyId, TimeSpan staleAfter, int maxAttempts, Func<string, bool>? isWorkerAlive, CancellationToken cancellationToken);

    /// <summary>
    /// Hands a trial this worker claimed back to Waiting because the worker was interrupted (Ctrl-C, SIGTERM): the
    /// claim does not count as an attempt (attempts - 1) and the note says so. False when the trial is no longer this
    /// worker's.
    /// </summary>
    Task<bool> ReleaseTrialAsync(long studyId, int number, string workerId, string note, CancellationToken cancellationToken);

    /// <summary>Every trial of the study in number order (waiting, running and finished).</summary>
    Task<IReadOnlyList<StoredTrial>> GetTrialsAsync(long studyId, CancellationToken cancellationToken);
}
