using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Core.Json;
using Tuner.Core.Regression;
using Tuner.Suites.Specs;
using Tuner.Techniques;

namespace Tuner.Runner.Nightly;

/// <summary>A configuration a nightly run tracks: its label and its full recipe (the suite's baseline plus its own settings and techniques).</summary>
public sealed record TrackedConfiguration(string Label, TrainingConfiguration Configuration);

/// <summary>One suite of a nightly manifest: budget, target, seeds, and the configurations to run (the baseline first).</summary>
public sealed record NightlySuite(SuiteSpec Suite, Budget Budget, double Target, IReadOnlyList<long> Seeds, IReadOnlyList<TrackedConfiguration> Configurations)
{
    public TrackedConfiguration Baseline => Configurations[0];

    public int TrialCount => Seeds.Count * Configurations.Count;
}

/// <summary>
/// A nightly manifest (e.g. <c>suites/nightly.json</c>; the format is in the README): which suites run every night,
/// each one's baseline recipe and the configurations to track, seeds, budgets, threads and the regression rule.
/// <see cref="Load"/> checks everything that can be checked without training (names, budgets, targets, seeds, labels,
/// technique options and conflicts) and names the file and the entry in a one-line error; the runner then checks the
/// data and runs every configuration for two steps before the night starts.
/// </summary>
public sealed partial record NightlyManifest(string Name, string SourcePath, int? Threads, string Device, RegressionPolicy Policy, IReadOnlyList<NightlySuite> Suites)
{
    public const string BaselineLabel = "baseline";

    /// <summary>Longest time budget a nightly trial may have (a night is many trials; longer is almost surely a typo).</summary>
    public static readonly TimeSpan MaxTimeBudget = TimeSpan.FromHours(1);

    private static readonly long[] DefaultSeeds = [1, 2, 3, 4, 5];

    public int TrialCount => Suites.Sum(s => s.TrialCount);

    /// <summary>The longest the trials can take if none stops early at its target (time budgets only; null when some budget is not in time).</summary>
    public TimeSpan? WorstCase =>
        Suites.All(s => s.Budget.Unit == BudgetUnit.WallClock)
            ? TimeSpan.FromSeconds(Suites.Sum(s => s.Budget.Amount * s.TrialCount))
            : null;

    public static NightlyManifest Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path) && !Directory.Exists(path))
        {
            throw new TunerInputException($"manifest {path} not found: give a nightly manifest JSON file, e.g. --manifest suites/nightly.json");
        }

        return Parse(StrictJson.ReadFile(path, "manifest"), path);
    }

    public static NightlyManifest Parse(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document = StrictJson.Parse(json, path);

        using (document)
        {
            JsonElement root = document.RootElement;
            Reader.Object(root, path, "the manifest", ["name", "threads", "device", "seeds", "regression", "suites"]);
            string name = Reader.String(root, "name", path) ?? "nightly";
            if (!NamePattern().IsMatch(name))
            {
                throw new TunerInputException($"{path}: name '{name}' must be letters, digits, '-' or '_' (it names the history in the study store)");
            }

            int? threads = Reader.Int(root, "threads", path) ?? 1;
            if (threads < 1)
            {
                throw new TunerInputException($"{path}: threads must be >= 1, got {threads}");
            }

            string device = Reader.String(root, "device", path) ?? "auto";
            if (device is not ("auto" or "cpu" or "cuda"))
            {
                throw new TunerInputException($"{path}: device must be auto, cpu or cuda, got '{device}'");
            }

            IReadOnlyList<long> seeds = Seeds(root, path, "seeds") ?? DefaultSeeds;
            RegressionPolicy policy = ReadPolicy(root, path);
            if (!root.TryGetProperty("suites", out JsonElement suitesElement) || suitesElement.ValueKind != JsonValueKind.Array || suitesElement.GetArrayLength() == 0)
            {
                throw new TunerInputException($"{path}: 'suites' must be a non-empty array of {{\"suite\": NAME, ...}}");
            }

            var suites = new List<NightlySuite>();
            int index = 0;
            foreach (JsonElement element in suitesElement.EnumerateArray())
            {
                suites.Add(Suite(element, $"{path}: suites[{index++}]", seeds));
            }

            string? twice = suites.GroupBy(s => s.Suite.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
            return twice is not null
                ? throw new TunerInputException($"{path}: suite {twice} is listed twice: list each suite once, with all its configurations")
                : new NightlyManifest(name, path, threads, device, policy, suites);
        }
    }

    private static RegressionPolicy ReadPolicy(JsonElement root, string path)
    {
        if (!root.TryGetProperty("regression", out JsonElement element))
        {
            return RegressionPolicy.Default;
        }

        Reader.Object(element, path, "regression", ["min_effect", "alpha", "max_cv", "history_nights"]);
        RegressionPolicy d = RegressionPolicy.Default;
        return new RegressionPolicy(
            Reader.Number(element, "min_effect", path) ?? d.MinEffect,
            Reader.Number(element, "alpha", path) ?? d.Alpha,
            Reader.Number(element, "max_cv", path) ?? d.MaxCv,
            Reader.Int(element, "history_nights", path) ?? d.HistoryNights).Validate(path + ": regression");
    }

    private static NightlySuite Suite(JsonElement element, string where, IReadOnlyList<long> defaultSeeds)
    {
        Reader.Object(element, where, "a suite entry", ["suite", "budget", "target", "seeds", "baseline", "track"]);
        string suiteName = Reader.String(element, "suite", where) ?? throw new TunerInputException($"{where}: missing \"suite\": name a built-in suite (tuner list suites) or a suite JSON file");
        SuiteSpec suite = Rethrow(where, () => SuiteCatalog.Resolve(suiteName));
        string? budgetText = Reader.String(element, "budget", where);
        Budget budget = budgetText is null ? suite.DefaultBudget : Rethrow(where, () => Budget.Parse(budgetText));
        if (budget.Unit == BudgetUnit.WallClock && budget.Amount > MaxTimeBudget.TotalSeconds)
        {
            throw new TunerInputException($"{where}: budget {budget} is longer than {MaxTimeBudget.TotalMinutes:0} minutes per trial: a nightly run repeats every trial over seeds; use a shorter budget");
        }

        double target = Reader.Number(element, "target", where) ?? suite.Target.Value;
        if (TargetMetrics.Check(suite.Target.Metric, target) is string valid)
        {
            throw new TunerInputException(string.Create(CultureInfo.InvariantCulture, $"{where}: target {target} is invalid for {suite.Name}, whose target is its validation {suite.Target.Metric}: {valid}"));
        }

        IReadOnlyList<long> seeds = Seeds(element, where, "seeds") ?? defaultSeeds;
        var configurations = new List<TrackedConfiguration>
        {
            new(BaselineLabel, Recipe(element.TryGetProperty("baseline", out JsonElement b) ? b : default, suite, $"{where}.baseline", labelled: false).Configuration),
        };
        if (element.TryGetProperty("track", out JsonElement track))
        {
            if (track.ValueKind != JsonValueKind.Array)
            {
                throw new TunerInputException($"{where}: 'track' must be an array of {{\"label\": ..., \"set\": {{...}}, \"techniques\": [...]}}");
            }

            int i = 0;
            foreach (JsonElement entry in track.EnumerateArray())
            {
                TrackedConfiguration tracked = Recipe(entry, suite, $"{where}.track[{i++}]", labelled: true);
                if (configurations.Any(c => string.Equals(c.Label, tracked.Label, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new TunerInputException($"{where}: label '{tracked.Label}' is used twice (or is the reserved 'baseline'): give each tracked configuration its own label");
                }

                configurations.Add(tracked);
            }
        }

        return new NightlySuite(suite with { Target = suite.Target with { Value = target } }, budget, target, seeds, configurations);
    }

    private static TrackedConfiguration Recipe(JsonElement element, SuiteSpec suite, string where, bool labelled)
    {
        TrainingConfiguration baseline = suite.Baseline;
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            return new TrackedConfiguration(BaselineLabel, baseline);
        }

        Reader.Object(element, where, labelled ? "a tracked configuration" : "the baseline", labelled ? ["label", "set", "techniques"] : ["set", "techniques"]);
        string label = BaselineLabel;
        if (labelled)
        {
            label = Reader.String(element, "label", where) ?? throw new TunerInputException($"{where}: missing \"label\" (a short name, e.g. \"recommended\")");
            if (!LabelPattern().IsMatch(label))
            {
                throw new TunerInputException($"{where}: label '{label}' must be 1-40 letters, digits, '.', '-' or '_'");
            }
        }

        var assignments = new List<string>();
        if (element.TryGetProperty("set", out JsonElement set))
        {
            if (set.ValueKind != JsonValueKind.Object)
            {
                throw new TunerInputException($"{where}: 'set' must be an object such as {{\"lr\": 0.05, \"batch_size\": 256}}");
            }

            foreach (JsonProperty property in set.EnumerateObject())
            {
                string value = property.Value.ValueKind switch
                {
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.String => property.Value.GetString()!,
                    _ => throw new TunerInputException($"{where}: set.{property.Name} must be a number or a string"),
                };
                assignments.Add($"{property.Name}={value}");
            }
        }

        TrainingConfiguration configuration = Rethrow(where, () => ConfigurationOverrides.Apply(baseline, assignments));
        var techniques = new List<TechniqueSpec>();
        if (element.TryGetProperty("techniques", out JsonElement list))
        {
            if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            {
                throw new TunerInputException($"{where}: 'techniques' must be an array of strings such as [\"ema:decay=0.99\", \"precision\"]");
            }

            techniques.AddRange(list.EnumerateArray().Select(t => Rethrow(where, () => TechniqueRegistry.Parse(t.GetString()!))));
        }

        Rethrow(where, () =>
        {
            TechniqueRegistry.Validate(techniques, suite.Facts, suite.Name);
            return 0;
        });
        return new TrackedConfiguration(label, configuration with { Techniques = TechniqueRegistry.Canonical(techniques) });
    }

    private static long[]? Seeds(JsonElement element, string where, string key)
    {
        if (!element.TryGetProperty(key, out JsonElement seeds))
        {
            return null;
        }

        if (seeds.ValueKind != JsonValueKind.Array || seeds.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out long v) || v < 0))
        {
            throw new TunerInputException($"{where}: '{key}' must be an array of whole numbers >= 0, e.g. [1, 2, 3, 4, 5]");
        }

        long[] values = [.. seeds.EnumerateArray().Select(s => s.GetInt64())];
        if (values.Distinct().Count() != values.Length)
        {
            throw new TunerInputException($"{where}: '{key}' repeats a seed: give distinct seeds");
        }

        return values.Length < 3
            ? throw new TunerInputException($"{where}: '{key}' has {values.Length} seed(s): give at least 3 (5 or more to detect a regression after one earlier night)")
            : values;
    }

    private static T Rethrow<T>(string where, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (TunerInputException ex)
        {
            throw new TunerInputException($"{where}: {ex.Message}", ex);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,60}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,40}$")]
    private static partial Regex LabelPattern();

    /// <summary>Typed reads of JSON properties with one-line errors naming the file and the key.</summary>
    private static class Reader
    {
        public static void Object(JsonElement element, string where, string what, IReadOnlyList<string> known)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new TunerInputException($"{where}: {what} must be a JSON object");
            }

            StrictJson.KnownKeys(element, $"{where} ({what})", [.. known]);
        }

        public static string? String(JsonElement element, string key, string where) =>
            !element.TryGetProperty(key, out JsonElement value) ? null
            : value.ValueKind == JsonValueKind.String ? value.GetString()
            : throw new TunerInputException($"{where}: '{key}' must be a string");

        public static double? Number(JsonElement element, string key, string where) =>
            !element.TryGetProperty(key, out JsonElement value) ? null
            : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
            : throw new TunerInputException($"{where}: '{key}' must be a number");

        public static int? Int(JsonElement element, string key, string where) =>
            !element.TryGetProperty(key, out JsonElement value) ? null
            : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n
            : throw new TunerInputException($"{where}: '{key}' must be a whole number");
    }
}
