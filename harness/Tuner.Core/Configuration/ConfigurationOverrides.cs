using System.Globalization;
using Tuner.Core.Errors;

namespace Tuner.Core.Configuration;

/// <summary>Applies <c>--set key=value</c> arguments to a <see cref="TrainingConfiguration"/>, validating each.</summary>
public static class ConfigurationOverrides
{
    /// <summary>The keys <c>--set</c> accepts, with what each means.</summary>
    public static readonly IReadOnlyDictionary<string, string> Keys = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["optimizer"] = "sgd | nesterov | adam | adamw | lamb | lars, with options as name:key=value,... (tuner list optimizers)",
        ["lr"] = "learning rate, > 0",
        ["batch_size"] = "samples per step, 1..65536",
        ["momentum"] = "momentum of sgd, nesterov and lars, 0..<1",
        ["weight_decay"] = "weight decay, 0..<1 (L2 for sgd, nesterov, adam, lars; decoupled for adamw, lamb)",
        ["eval_samples"] = "evaluate on the validation split every N training samples, >= 1 (the same grid for every batch size)",
        ["horizon"] = "schedules act over this fraction of the budget, (0, 1], or this many samples (200000samples); default 1",
    };

    public static TrainingConfiguration Apply(TrainingConfiguration configuration, IEnumerable<string> assignments)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(assignments);
        TrainingConfiguration result = configuration;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string assignment in assignments)
        {
            int eq = assignment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == assignment.Length - 1)
            {
                throw new TunerInputException($"malformed --set '{assignment}': write key=value, e.g. --set lr=0.05");
            }

            string key = assignment[..eq].Trim().ToLowerInvariant().Replace('-', '_');
            string value = assignment[(eq + 1)..].Trim();
            if (!seen.Add(key == "learning_rate" ? "lr" : key))
            {
                throw new TunerInputException($"--set {key} is given twice: give each key once");
            }

            result = key switch
            {
                "optimizer" => WithOptimizer(result, value),
                "lr" or "learning_rate" => result with { LearningRate = ParseDouble(key, value, v => v > 0 && v < 1e3, "a number > 0") },
                "batch_size" => result with { BatchSize = ParseInt(key, value, 1, 65536) },
                "momentum" => result with { Momentum = ParseDouble(key, value, v => v >= 0 && v < 1, "a number in [0, 1)") },
                "weight_decay" => result with { WeightDecay = ParseDouble(key, value, v => v >= 0 && v < 1, "a number in [0, 1)") },
                "eval_samples" => result with { EvalEverySamples = ParseLong(key, value, 1, 1_000_000_000_000) },
                "horizon" => WithHorizon(result, value),
                "eval_every" => throw new TunerInputException(
                    $"--set eval_every='{value}' (steps) was replaced by eval_samples (training samples, the same grid for every batch size): write --set eval_samples=N, e.g. eval_every=100 at batch 128 is eval_samples=12800"),
                _ => throw new TunerInputException(
                    $"unknown --set key '{key}': valid keys are {string.Join(", ", Keys.Keys)} (techniques go in --technique)"),
            };
        }

        return result;
    }

    private static TrainingConfiguration WithHorizon(TrainingConfiguration configuration, string value)
    {
        if (value.EndsWith("samples", StringComparison.OrdinalIgnoreCase))
        {
            long samples = ParseLong("horizon", value[..^"samples".Length], 1, 1_000_000_000_000, shown: value);
            return configuration with { HorizonSamples = samples, HorizonFraction = 1.0 };
        }

        double fraction = ParseDouble("horizon", value, v => v > 0 && v <= 1, "a fraction of the budget in (0, 1], or a sample count such as 200000samples");
        return configuration with { HorizonFraction = fraction, HorizonSamples = null };
    }

    private static long ParseLong(string key, string value, long min, long max, string? shown = null)
    {
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) || v < min || v > max)
        {
            throw new TunerInputException(string.Create(CultureInfo.InvariantCulture, $"invalid value '{shown ?? value}' for --set {key}: expected a whole number from {min} to {max}"));
        }

        return v;
    }

    private static TrainingConfiguration WithOptimizer(TrainingConfiguration configuration, string value)
    {
        (string name, IReadOnlyDictionary<string, string> options) = OptimizerCatalog.Parse(value);
        return configuration with { Optimizer = name, OptimizerOptions = options };
    }

    private static double ParseDouble(string key, string value, Func<double, bool> valid, string expected)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || !valid(v))
        {
            throw new TunerInputException($"invalid value '{value}' for --set {key}: expected {expected}");
        }

        return v;
    }

    private static int ParseInt(string key, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
        {
            throw new TunerInputException($"invalid value '{value}' for --set {key}: expected a whole number in [{min}, {max}]");
        }

        return v;
    }
}
