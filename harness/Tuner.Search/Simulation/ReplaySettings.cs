namespace Tuner.Search.Simulation;

/// <summary>How a replayed search runs and when it has found a good configuration.</summary>
public sealed record ReplaySettings
{
    /// <summary>Adaptive cap factor (the product's <c>--cap</c>, default 2); 0 turns capping off.</summary>
    public double CapFactor { get; init; } = 2.0;

    /// <summary>Use the median pruner (the product's default; <c>--no-prune</c> turns it off).</summary>
    public bool Prune { get; init; } = true;

    /// <summary>The most trials a replay runs before it gives up (not found).</summary>
    public int MaxTrials { get; init; } = 200;

    /// <summary>A configuration is good when its time-to-target is at most (1 + this) × the truth's best (default 0.1, within 10%).</summary>
    public double Tolerance { get; init; } = 0.1;

    /// <summary>Stop a replay as soon as it has found a good configuration (its compute after that does not count).</summary>
    public bool StopWhenFound { get; init; } = true;

    /// <summary>These settings with capping and pruning off (what a tuner costs without them).</summary>
    public ReplaySettings WithoutCapOrPruning() => this with { CapFactor = 0, Prune = false };

    /// <summary>What is wrong with these settings (a negative or non-finite cap, fewer than 1 trial, a negative tolerance), or null.</summary>
    public string? Problem() =>
        !(CapFactor >= 0) || !double.IsFinite(CapFactor) ? "the cap factor must be 0 (off) or a positive factor"
        : MaxTrials < 1 ? "at least one trial is needed"
        : !(Tolerance >= 0) || !double.IsFinite(Tolerance) ? "the tolerance must be a fraction >= 0, e.g. 0.1"
        : null;
}
