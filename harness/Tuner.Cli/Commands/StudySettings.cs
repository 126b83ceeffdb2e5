using System.ComponentModel;
using Spectre.Console.Cli;

namespace Tuner.Cli.Commands;

/// <summary>Options shared by <c>tuner search</c> and <c>tuner recommend</c>: what to search and where the study lives.</summary>
public abstract class StudySettings : LauncherSettings
{

    [CommandOption("--tuner <NAME>")]
    [Description("smac, cfo, random, grid, sh, hyperband or asha. Default: smac.")]
    [DefaultValue("smac")]
    public string Tuner { get; set; } = "smac";

    [CommandOption("--space <FILE>")]
    [Description("Search space JSON file (see README). Default: the built-in space around the suite's baseline.")]
    public string? Space { get; set; }

    [CommandOption("--storage <PATH>")]
    [Description("Study store: a SQLite file, or postgres://user:password@host:port/db for studies shared by many machines. Default: results/studies.db.")]
    public string? Storage { get; set; }

    [CommandOption("--study <NAME>")]
    [Description("Study name in the store. Default: SUITE-TUNER. Run the same command again to resume it.")]
    public string? Study { get; set; }

    [CommandOption("--trials <N>")]
    [Description("Stop the search when the study has N finished trials (earlier runs count).")]
    public int? Trials { get; set; }

    [CommandOption("--time <DURATION>")]
    [Description("Wall-clock time for this command, e.g. 90s, 10m (no new trial starts after it).")]
    public string? Time { get; set; }

    [CommandOption("--seed <N>")]
    [Description("Tuner seed (proposals are deterministic for a seed and history). Default: 0.")]
    public long Seed { get; set; }

    [CommandOption("--training-seed <N>")]
    [Description("Training seed of every search trial. Default: 0.")]
    public long TrainingSeed { get; set; }

    [CommandOption("--cap <FACTOR>")]
    [Description("Stop a trial at FACTOR times the best time-to-target so far (it cannot win); 0 turns capping off. Default: 2.")]
    [DefaultValue(2.0)]
    public double Cap { get; set; } = 2.0;

    [CommandOption("--no-prune")]
    [Description("Do not stop trials whose accuracy trails the median of earlier trials at the same training time.")]
    public bool NoPrune { get; set; }

    [CommandOption("--grid-points <N>")]
    [Description("Grid tuner: values per numeric range. Default: 3.")]
    [DefaultValue(3)]
    public int GridPoints { get; set; } = 3;

    [CommandOption("--grid-cap <N>")]
    [Description("Grid tuner: refuse grids larger than N configurations. Default: 1000.")]
    [DefaultValue(1000)]
    public int GridCap { get; set; } = 1000;

    [CommandOption("--workers <N>")]
    [Description("Trials run at once, each in its own worker process (divide the cores: --threads); with --launcher slurm, the tasks of the worker array. Default: 1.")]
    [DefaultValue(1)]
    public int Workers { get; set; } = 1;

    [CommandOption("--queue <N>")]
    [Description("Keep N more trials waiting for workers on other machines (tuner worker --study). Default: 0; with --launcher slurm, --workers.")]
    public int Queue { get; set; }

    [CommandOption("--isolate")]
    [Description("Run each trial in its own worker process even with one worker (a crash or out-of-memory kill is recorded as Failed and the study goes on). Implied by --workers above 1.")]
    public bool Isolate { get; set; }

    [CommandOption("--report <CSV>")]
    [Description("Tuning report to write (one row per trial). Default: results/reports/STUDY-trials.csv.")]
    public string? Report { get; set; }

}
