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
}
