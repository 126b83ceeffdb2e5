namespace Tuner.Runner.Search;

/// <summary>
/// Workers that a launcher started elsewhere (a Slurm job array) to claim a study's trials, as the proposer of
/// <see cref="StudyRunner.ProposeAsync"/> sees them. The store stays the source of truth: the pool is only asked whether
/// its workers are still there, and told when the study is done.
/// </summary>
public interface IWorkerPool
{
    /// <summary>
    /// Called about once a second. Returns a short status for the progress line. When no worker is left while
    /// <paramref name="workLeft"/>, the pool either starts workers again (it may, if the last ones finished trials:
    /// they were preempted or ran out of time) or throws <see cref="WorkersLostException"/>.
    /// </summary>
    /// <param name="finishedTrials">Finished trials in the study now.</param>
    /// <param name="workLeft">Trials wait or run, or the tuner has more to propose.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    Task<string> CheckAsync(int finishedTrials, bool workLeft, CancellationToken cancellationToken);

    /// <summary>Stops every worker (the study is done, or the command was interrupted); workers hand back what they hold.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>A launcher's workers all ended while the study still had work, without finishing any of it: one line, exit 9.</summary>
public sealed class WorkersLostException(string message) : Exception(message);
