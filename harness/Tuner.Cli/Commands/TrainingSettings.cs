using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Errors;
using Tuner.Training.Runtime;

namespace Tuner.Cli.Commands;

/// <summary>
/// The options every training command shares (<c>run</c>, <c>search</c>, <c>recommend</c>, <c>effects</c>), declared once
/// and validated once, before the command runs: what to train on (suite, budget), where (device, threads) and the data
/// cache. A bad value is a one-line input error (exit 2) naming the option.
/// </summary>
public abstract class TrainingSettings : CommandSettings
{
    [CommandOption("-s|--suite <NAME>")]
    [Description("Built-in suite name (tuner list suites) or path of a suite JSON file. Required.")]
    public string? Suite { get; set; }

    [CommandOption("-b|--budget <BUDGET>")]
    [Description("Training budget of one trial: 30s, 5m, 500steps, 2epochs or 60000samples. Default: the suite's.")]
    public string? Budget { get; set; }

    [CommandOption("--device <DEVICE>")]
    [Description("auto (CUDA when present), cpu or cuda. Default: auto.")]
    [DefaultValue("auto")]
    public string Device { get; set; } = "auto";

    [CommandOption("--threads <N>")]
    [Description("Intra-op torch threads, at most the machine's cores unless --oversubscribe. Default: all cores for run, 1 for search, recommend and effects (comparable trials; robust on shared machines). 1 makes runs bit-reproducible.")]
    public int? Threads { get; set; }

    [CommandOption("--data-dir <DIR>")]
    [Description("Data cache folder. Default: $TUNER_DATA_DIR, else $XDG_CACHE_HOME/tuner/data, else ~/.cache/tuner/data.")]
    public string? DataDir { get; set; }

    [CommandOption("--memory-limit <SIZE>")]
    [Description("End a trial whose process peak resident memory exceeds SIZE (512MiB, 2GiB, 1.5GB) with status over_memory. Default: no limit.")]
    public string? MemoryLimit { get; set; }

    /// <summary><see cref="MemoryLimit"/> in bytes; null when not given.</summary>
    public long? MemoryLimitBytes => MemoryLimit is null ? null : MemorySize.Parse(MemoryLimit, "--memory-limit");

    [CommandOption("--oversubscribe")]
    [Description("Allow --threads above this machine's core count (slower; for measuring exactly that).")]
    public bool Oversubscribe { get; set; }

    /// <summary>The threads the command trains with: <see cref="Threads"/>, else <see cref="DefaultThreads"/> (null: every core).</summary>
    public int? TrainingThreads => Threads ?? DefaultThreads;

    /// <summary>The command's default thread count when <c>--threads</c> is not given; null uses every core.</summary>
    protected virtual int? DefaultThreads => 1;

    /// <summary>Checks the shared options (threads, budget syntax, device); commands check their own options and the paths, which need the working folder.</summary>
    public override ValidationResult Validate()
    {
        CommandChecks.Threads(TrainingThreads, Oversubscribe);
        if (Budget is not null)
        {
            _ = Core.Budgets.Budget.Parse(Budget);
        }

        _ = TorchRuntime.ResolveDevice(Device);
        _ = MemoryLimitBytes;
        return ValidationResult.Success();
    }
}

/// <summary><see cref="TrainingSettings"/> with a target to reach (<c>run</c>, <c>search</c>, <c>recommend</c>).</summary>
public abstract class TargetedTrainingSettings : TrainingSettings
{
    [CommandOption("--target <VALUE>")]
    [Description("Override the suite's target on the validation split: an accuracy above 0 and at most 1, or for a suite whose target is a loss, bits per character or perplexity, a value of that (lower is better).")]
    public double? Target { get; set; }

    public override ValidationResult Validate()
    {
        if (Target is double target && !(target > 0 && double.IsFinite(target)))
        {
            throw new TunerInputException($"--target {target.ToString(CultureInfo.InvariantCulture)} is invalid: give an accuracy in (0, 1], e.g. --target 0.9 (or a loss above 0 for a suite whose target is a loss)");
        }

        return base.Validate();
    }

    /// <summary>--target checked against the suite's target metric (an accuracy above 1 is as wrong as a loss of 0); null when not given.</summary>
    public double? TargetFor(Tuner.Suites.Specs.SuiteSpec suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return Target is double target && Tuner.Core.Trials.TargetMetrics.Check(suite.Target.Metric, target) is string valid
            ? throw new TunerInputException($"--target {target.ToString(CultureInfo.InvariantCulture)} is invalid for suite {suite.Name}, whose target is its validation {suite.Target.Metric}: {valid}")
            : Target;
    }
}

/// <summary>Memory sizes on the command line: a number and a unit (B, KiB, MiB, GiB, TiB or KB, MB, GB, TB).</summary>
public static class MemorySize
{
    private static readonly (string Unit, double Bytes)[] Units =
    [
        ("KiB", 1024.0), ("MiB", 1024.0 * 1024), ("GiB", 1024.0 * 1024 * 1024), ("TiB", 1024.0 * 1024 * 1024 * 1024),
        ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1),
    ];

    /// <summary>Bytes of <paramref name="text"/>; a one-line input error naming <paramref name="option"/> otherwise.</summary>
    public static long Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        foreach ((string unit, double bytes) in Units)
        {
            if (trimmed.EndsWith(unit, StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(trimmed[..^unit.Length].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) &&
                value > 0 && value * bytes >= 1024 * 1024 && value * bytes <= 1e15)
            {
                return (long)(value * bytes);
            }
        }

        throw new TunerInputException($"{option} '{text}' is not a memory size from 1 MiB to 1 PB: give a number and a unit, e.g. {option} 2GiB or {option} 512MiB");
    }
}
