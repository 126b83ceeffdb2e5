namespace Tuner.Runner;

/// <summary>
/// Where and how a trial runs, as opposed to what it trains: the device, the intra-op threads, the data cache and the
/// memory limit. Declared once, carried by the trial description (<see cref="TrialRequest.Host"/>) and by the plans
/// that make many trials (search, recommendation, effects), instead of four fields copied through each of them.
/// </summary>
public sealed record TrialHost
{
    /// <summary>The defaults: device auto, every core, the default data cache, no memory limit.</summary>
    public static TrialHost Default { get; } = new();

    /// <summary>auto, cpu or cuda.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Intra-op threads; null uses every core.</summary>
    public int? Threads { get; init; }

    /// <summary>Data cache root; null uses <c>DataStore.DefaultRoot</c>.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The most resident memory the trial's process may reach (bytes); see <c>TrainingRequest.MemoryLimitBytes</c>. Null: no limit.</summary>
    public long? MemoryLimitBytes { get; init; }
}
