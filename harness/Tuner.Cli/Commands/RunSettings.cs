using System.ComponentModel;
using Spectre.Console.Cli;

namespace Tuner.Cli.Commands;

/// <summary><c>tuner run</c>: the shared training options (<see cref="TrainingSettings"/>), a seed, the recipe and where the record goes.</summary>
public sealed class RunSettings : TargetedTrainingSettings
{
    protected override int? DefaultThreads => null; // every core: one trial, nothing to compare it with in the same process

    [CommandOption("--seed <N>")]
    [Description("Trial seed (model init, batch order, techniques). Default: 0.")]
    public long Seed { get; set; }

    [CommandOption("--set <KEY=VALUE>")]
    [Description("Override the baseline recipe: optimizer (sgd, nesterov, adam, adamw, lamb, lars; options as name:key=value), lr, batch_size, momentum, weight_decay, eval_samples, horizon. Repeatable, each key once.")]
    public string[] Set { get; set; } = [];

    [CommandOption("-t|--technique <TECHNIQUE>")]
    [Description("Switch a technique on: name or name:key=value,key=value (tuner list techniques). Repeatable; they act in the library's order, not the listing order.")]
    public string[] Technique { get; set; } = [];

    [CommandOption("-o|--out <PATH>")]
    [Description("Where to append the trial record: a .jsonl file or a folder. Default: results/runs/trials.jsonl.")]
    public string? Out { get; set; }

}
