namespace Tuner.Core.Trials;

/// <summary>Where a trial ran: enough to tell whether two results are comparable.</summary>
public sealed record EnvironmentManifest
{
    public required string CpuModel { get; init; }

    public required int LogicalCores { get; init; }

    public required int TorchThreads { get; init; }

    public required string Os { get; init; }

    public required string DotNet { get; init; }

    public required string TorchSharpVersion { get; init; }

    public required string LibTorchVersion { get; init; }

    public required string Device { get; init; }

    public string? GitCommit { get; init; }

    public string? MachineName { get; init; }

    /// <summary>
    /// Seconds per step of a fixed reference workload in plain TorchSharp (an MLP 784-256-10 training step on batch
    /// 128, no Tuner code), measured just before the trial: the machine's speed at that moment, which nightly runs
    /// use to tell a slower machine from slower code. Null when not measured (everything but <c>tuner nightly</c>).
    /// </summary>
    public double? CalibrationStepSeconds { get; init; }
}
