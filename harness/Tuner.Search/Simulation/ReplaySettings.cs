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

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a negative or non-finite cap, fewer than 1 trial or a negative tolerance.</summary>
    public void Validate()
    {
        if (!(CapFactor >= 0) || !double.IsFinite(CapFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(CapFactor), CapFactor, "use 0 (off) or a positive factor");
        }

        if (MaxTrials < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrials), MaxTrials, "at least one trial");
        }

        if (!(Tolerance >= 0) || !double.IsFinite(Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "use a fraction >= 0, e.g. 0.1");
        }
    }
}
