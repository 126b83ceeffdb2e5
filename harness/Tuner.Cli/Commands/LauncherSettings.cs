using System.ComponentModel;
using Spectre.Console.Cli;

namespace Tuner.Cli.Commands;

/// <summary>
/// Where the workers of a study run: on this machine (<c>--launcher local</c>, the default) or as a Slurm job array
/// (<c>--launcher slurm</c>) with the scheduler's options. Shared by <c>tuner search</c>, <c>tuner recommend</c> and
/// <c>tuner launch</c>.
/// </summary>
public abstract class LauncherSettings : TargetedTrainingSettings
{
    [CommandOption("--launcher <NAME>")]
    [Description("Where trials run: local (this machine) or slurm (a job array of tuner worker tasks, --workers of them; needs a PostgreSQL --storage). Default: local.")]
    [DefaultValue("local")]
    public string Launcher { get; set; } = "local";

    [CommandOption("--partition <NAME>")]
    [Description("Slurm: the partition of the worker array (sbatch --partition).")]
    public string? Partition { get; set; }

    [CommandOption("--account <NAME>")]
    [Description("Slurm: the account charged (sbatch --account).")]
    public string? Account { get; set; }

    [CommandOption("--gpus-per-task <K>")]
    [Description("Slurm: GPUs per array task, 0 or 1 (sbatch --gres=gpu:K); use with --device cuda. Default: 0.")]
    public int GpusPerTask { get; set; }

    [CommandOption("--job-time <DURATION>")]
    [Description("Slurm: time limit of each array task, e.g. 2h (sbatch --time); workers get SIGTERM 60 s before it and hand their trial back. Default: the partition's.")]
    public string? JobTime { get; set; }

    [CommandOption("--max-running <P>")]
    [Description("Slurm: at most P array tasks at once (sbatch --array=0-N%P). Default: no limit.")]
    public int? MaxRunning { get; set; }

    [CommandOption("--sbatch-arg <ARG>")]
    [Description("Slurm: one more sbatch option, e.g. --sbatch-arg=--mem=8G (repeatable).")]
    public string[] SbatchArgs { get; set; } = [];

    /// <summary>True for <c>--launcher slurm</c>.</summary>
    public bool OnSlurm => string.Equals(Launcher?.Trim(), "slurm", StringComparison.OrdinalIgnoreCase);

    public override Spectre.Console.ValidationResult Validate()
    {
        if (OnSlurm)
        {
            // On a cluster the threads are the nodes' cores (Slurm allocates --cpus-per-task), not this machine's.
            Oversubscribe = true;
        }

        return base.Validate();
    }
}
