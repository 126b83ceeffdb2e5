namespace Tuner.Training.Workloads;

/// <summary>What Tuner gives <see cref="IWorkload.LoadAsync"/>: where data may be cached, and where to say what it is doing.</summary>
public sealed record WorkloadContext
{
    /// <summary>
    /// Tuner's data cache (<c>--data-dir</c>, else <c>$TUNER_DATA</c>, else ~/.cache/tuner): a workload that downloads or
    /// converts files may keep them under a folder of its own name here.
    /// </summary>
    public required string DataDirectory { get; init; }

    /// <summary>Progress lines for the user (fetching, converting); null when nobody listens.</summary>
    public IProgress<string>? Log { get; init; }
}
