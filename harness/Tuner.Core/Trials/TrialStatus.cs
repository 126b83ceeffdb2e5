namespace Tuner.Core.Trials;

/// <summary>How a training trial ended.</summary>
public enum TrialStatus
{
    /// <summary>The target metric was reached within the budget; time-to-target is known.</summary>
    Reached,

    /// <summary>The budget ran out first; time-to-target is censored at the budget.</summary>
    NotReached,

    /// <summary>The loss became NaN or infinite.</summary>
    Diverged,

    /// <summary>The trial could not run to an outcome (exception, out of memory, crash).</summary>
    Failed,

    /// <summary>Stopped early by a search (a pruner, a lower fidelity or a time cap) before reaching the target; censored like <see cref="NotReached"/>.</summary>
    Pruned,

    /// <summary>
    /// The process's peak resident memory went above the trial's memory limit (<c>--memory-limit</c>): stopped there, a
    /// configuration that does not fit, not a crash; censored like <see cref="Diverged"/> (it never reaches the target).
    /// </summary>
    OverMemory,
}
