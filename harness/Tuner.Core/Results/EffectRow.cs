namespace Tuner.Core.Results;

/// <summary>One row of the effects CSV: a technique alone (or the baseline) over the plan's seeds. Columns documented in results/README.md.</summary>
public sealed record EffectRow
{
    public required string Suite { get; init; }

    /// <summary>"baseline" or the technique with its options (name:key=value).</summary>
    public required string Technique { get; init; }

    /// <summary>data, model, optimization, budget, system; empty for the baseline.</summary>
    public required string Family { get; init; }

    public required int Seeds { get; init; }

    public required int Reached { get; init; }

    public double ReachProbability => Seeds == 0 ? 0 : (double)Reached / Seeds;

    /// <summary>Median time-to-target in charged seconds; null when the median trial did not reach the target.</summary>
    public double? MedianTimeToTargetSeconds { get; init; }

    public double? MedianStepsToTarget { get; init; }

    /// <summary>median(baseline) / median(this): above 1 is faster. 1 for the baseline.</summary>
    public double? SpeedUp { get; init; }

    public double? SpeedUpLow { get; init; }

    public double? SpeedUpHigh { get; init; }

    /// <summary>Two-sided exact Mann-Whitney p-value of time-to-target against the baseline (misses as +infinity); null for the baseline and rows not run.</summary>
    public double? PValue { get; init; }

    /// <summary><see cref="PValue"/> adjusted over every technique of the table by Benjamini-Hochberg (false discovery rate); the verdict uses it.</summary>
    public double? AdjustedPValue { get; init; }

    /// <summary>Median samples-to-target (null when the median run did not reach the target).</summary>
    public double? MedianSamplesToTarget { get; init; }

    /// <summary>
    /// median samples-to-target of the baseline / this one's: above 1 reaches the target after fewer samples. Beside
    /// <see cref="SpeedUp"/> it separates an algorithmic effect from a change in throughput: a time speed-up at a ratio
    /// of 1 is timing (a cheaper or noisier step), not fewer samples.
    /// </summary>
    public double? SamplesRatio { get; init; }

    /// <summary>Median test metric over the seeds (evaluated once at the end of each run; never used for the verdict).</summary>
    public double? MedianTestMetric { get; init; }

    /// <summary>faster or slower (adjusted p &lt; 0.05, direction from the medians), no significant difference, never reached, failed, not applicable (not run: the suite lacks what it needs; the reason in <see cref="FailureReason"/>), or baseline.</summary>
    public required string Verdict { get; init; }

    /// <summary>Median training throughput (samples per charged second).</summary>
    public required double SamplesPerSecond { get; init; }

    /// <summary>Training steps per second relative to the baseline's (the cost of one step).</summary>
    public double? StepRateRatio { get; init; }

    public double? MedianBestMetric { get; init; }

    public string? FailureReason { get; init; }

    public required string Budget { get; init; }

    public required int Threads { get; init; }

    public required string CpuModel { get; init; }

    public string? GitCommit { get; init; }
}
