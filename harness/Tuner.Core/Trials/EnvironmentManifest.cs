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
    /// <c>CUDA_VISIBLE_DEVICES</c> of the process that trained (the GPUs a scheduler such as Slurm gave it; device
    /// <c>cuda</c> is the first of them), or null when it was not set.
    /// </summary>
    public string? CudaVisibleDevices { get; init; }

    /// <summary>The Slurm job (<c>ARRAYJOB_TASK</c>, or the job id) the trial ran in, or null outside Slurm.</summary>
    public string? SlurmJob { get; init; }

    /// <summary>
    /// Seconds per step of a fixed reference workload in plain TorchSharp (an MLP 784-256-10 training step on batch
    /// 128, no Tuner code), measured just before the trial: the machine's speed at that moment, which nightly runs
    /// use to tell a slower machine from slower code. Null when not measured (everything but <c>tuner nightly</c>).
    /// </summary>
    public double? CalibrationStepSeconds { get; init; }

    /// <summary>What this process's environment says about the scheduler's allocation: <see cref="CudaVisibleDevices"/> and <see cref="SlurmJob"/>.</summary>
    public EnvironmentManifest WithAllocation() => this with { CudaVisibleDevices = CurrentCudaVisibleDevices, SlurmJob = CurrentSlurmJob };

    /// <summary>This process's <c>CUDA_VISIBLE_DEVICES</c>, or null.</summary>
    public static string? CurrentCudaVisibleDevices => Variable("CUDA_VISIBLE_DEVICES");

    /// <summary>This process's Slurm job: <c>ARRAYJOB_TASK</c> in an array, else the job id; null outside Slurm.</summary>
    public static string? CurrentSlurmJob => Variable("SLURM_ARRAY_JOB_ID") is string array && Variable("SLURM_ARRAY_TASK_ID") is string task
        ? $"{array}_{task}"
        : Variable("SLURM_JOB_ID");

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
