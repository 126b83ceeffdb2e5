using System.ComponentModel;
using Spectre.Console.Cli;

namespace Tuner.Cli.Commands;

public sealed class RunSettings : CommandSettings
{
    [CommandOption("-s|--suite <NAME>")]
    [Description("Built-in suite name (tuner list suites) or path of a suite JSON file. Required.")]
    public string? Suite { get; set; }

    [CommandOption("-b|--budget <BUDGET>")]
    [Description("Training budget: 30s, 5m, 500steps, 2epochs or 60000samples. Default: the suite's.")]
    public string? Budget { get; set; }

    [CommandOption("--seed <N>")]
    [Description("Trial seed (model init, batch order, techniques). Default: 0.")]
    public long Seed { get; set; }

    [CommandOption("--device <DEVICE>")]
    [Description("auto (CUDA when present), cpu or cuda. Default: auto.")]
    [DefaultValue("auto")]
    public string Device { get; set; } = "auto";

    [CommandOption("--threads <N>")]
    [Description("Intra-op torch threads. Default: all cores. Use 1 for bit-reproducible runs.")]
    public int? Threads { get; set; }

    [CommandOption("--set <KEY=VALUE>")]
    [Description("Override the baseline recipe: optimizer (sgd, nesterov, adam, adamw, lamb, lars; options as name:key=value), lr, batch_size, momentum, weight_decay, eval_every. Repeatable.")]
    public string[] Set { get; set; } = [];

    [CommandOption("-t|--technique <TECHNIQUE>")]
    [Description("Switch a technique on: name or name:key=value,key=value (tuner list techniques). Repeatable; they act in the library's order, not the listing order.")]
    public string[] Technique { get; set; } = [];

    [CommandOption("--target <VALUE>")]
    [Description("Override the suite's target accuracy (above 0, at most 1).")]
    public double? Target { get; set; }

    [CommandOption("-o|--out <PATH>")]
    [Description("Where to append the trial record: a .jsonl file or a folder. Default: results/runs/trials.jsonl.")]
    public string? Out { get; set; }

    [CommandOption("--data-dir <DIR>")]
    [Description("Data cache folder. Default: $TUNER_DATA_DIR, else $XDG_CACHE_HOME/tuner/data, else ~/.cache/tuner/data.")]
    public string? DataDir { get; set; }

    [CommandOption("--oversubscribe")]
    [Description("Allow --threads above this machine's core count (slower; for measuring exactly that).")]
    public bool Oversubscribe { get; set; }
}
