using System.Globalization;
using System.Text.Json;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Training.Models;

namespace Tuner.Suites.Specs;

/// <summary>
/// Reads a suite definition from JSON (the format is in the README, section "Custom suites"). Every problem is a
/// one-line <see cref="TunerInputException"/> naming the file, the field and an example of a valid value.
/// </summary>
public static class SuiteFile
{
    public static SuiteSpec Load(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new TunerInputException($"suite file '{path}' not found: give the path of a suite JSON file, or a built-in suite name (tuner list suites)");
        }

        string text = File.ReadAllText(full);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new TunerInputException($"suite file '{path}' is not valid JSON (line {ex.LineNumber + 1}): fix the syntax", ex);
        }

        using (document)
        {
            return Parse(document.RootElement, full, Path.GetFileName(path));
        }
    }

    public static SuiteSpec Parse(JsonElement root, string? sourcePath, string displayName)
    {
        var reader = new Reader(displayName);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw reader.Error("the top level must be an object like {\"name\": ..., \"data\": ..., \"model\": ..., \"target\": ..., \"budget\": ...}");
        }

        string name = reader.RequiredString(root, "name", "\"name\": \"my-suite\"");
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw reader.Error($"field 'name' must use letters, digits, '-', '_' or '.', got '{name}'");
        }

        JsonElement data = reader.RequiredObject(root, "data", "\"data\": {\"format\": \"csv\", \"path\": \"table.csv\", \"label_column\": \"label\"}");
        JsonElement model = reader.RequiredObject(root, "model", "\"model\": {\"kind\": \"mlp\", \"hidden\": [64]}");
        JsonElement target = reader.RequiredObject(root, "target", "\"target\": {\"metric\": \"accuracy\", \"value\": 0.9}");
        string budgetText = reader.RequiredString(root, "budget", "\"budget\": \"30s\"");
        if (!Budget.TryParse(budgetText, out Budget budget, out string? budgetError))
        {
            throw reader.Error($"field 'budget': {budgetError}");
        }

        TrainingConfiguration baseline = new();
        if (root.TryGetProperty("baseline", out JsonElement baselineElement))
        {
            if (baselineElement.ValueKind != JsonValueKind.Object)
            {
                throw reader.Error("field 'baseline' must be an object like {\"optimizer\": \"sgd\", \"lr\": 0.05, \"batch_size\": 64}");
            }

            var sets = new List<string>();
            foreach (JsonProperty property in baselineElement.EnumerateObject())
            {
                sets.Add($"{property.Name}={(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText())}");
            }

            try
            {
                baseline = ConfigurationOverrides.Apply(baseline, sets);
            }
            catch (TunerInputException ex)
            {
                throw reader.Error($"field 'baseline': {ex.Message.Replace("--set ", string.Empty, StringComparison.Ordinal)}");
            }
        }

        bool flip = false;
        if (root.TryGetProperty("augment", out JsonElement augment))
        {
            if (augment.ValueKind != JsonValueKind.Object)
            {
                throw reader.Error("field 'augment' must be an object like {\"horizontal_flip\": true}");
            }

            if (augment.TryGetProperty("horizontal_flip", out JsonElement flipElement))
            {
                flip = flipElement.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw reader.Error("field 'augment.horizontal_flip' must be true or false"),
                };
            }
        }

        return new SuiteSpec
        {
            AllowsHorizontalFlip = flip,
            Name = name,
            Description = reader.OptionalString(root, "description") ?? string.Empty,
            Data = ParseData(reader, data, sourcePath),
            Model = ParseModel(reader, model),
            Target = ParseTarget(reader, target),
            DefaultBudget = budget,
            Baseline = baseline,
            SourcePath = sourcePath,
        };
    }

    private static DataSpec ParseData(Reader reader, JsonElement data, string? sourcePath)
    {
        string? baseDir = sourcePath is null ? null : Path.GetDirectoryName(sourcePath);
        string? Resolve(string? p) => p is null ? null : (baseDir is null ? p : Path.GetFullPath(p, baseDir));

        string? dataset = reader.OptionalString(data, "dataset");
        string? format = reader.OptionalString(data, "format")?.ToLowerInvariant();
        if (dataset is null && format is null)
        {
            throw reader.Error("field 'data' needs \"dataset\" (fashion-mnist, digits, iris, wine, breast-cancer) or \"format\" (csv, sklearn-csv, idx) with file paths");
        }

        var spec = new DataSpec
        {
            Dataset = dataset,
            Format = format,
            Path = Resolve(reader.OptionalString(data, "path")),
            LabelColumn = reader.OptionalString(data, "label_column") ?? "label",
            TrainImages = Resolve(reader.OptionalString(data, "train_images")),
            TrainLabels = Resolve(reader.OptionalString(data, "train_labels")),
            TestImages = Resolve(reader.OptionalString(data, "test_images")),
            TestLabels = Resolve(reader.OptionalString(data, "test_labels")),
            TestFraction = reader.OptionalDouble(data, "test_fraction") ?? 0.2,
            SplitSeed = (int)(reader.OptionalDouble(data, "split_seed") ?? 0),
            ImageShape = reader.OptionalIntArray(data, "image_shape"),
        };

        if (spec.TestFraction is <= 0 or >= 1)
        {
            throw reader.Error($"field 'data.test_fraction' must be between 0 and 1 (exclusive), got {spec.TestFraction.ToString(CultureInfo.InvariantCulture)}");
        }

        switch (format)
        {
            case null:
                break;
            case "csv" or "sklearn-csv":
                if (spec.Path is null)
                {
                    throw reader.Error($"data format '{format}' needs \"path\": \"table.csv\"");
                }

                break;
            case "idx":
                if (spec.TrainImages is null || spec.TrainLabels is null || spec.TestImages is null || spec.TestLabels is null)
                {
                    throw reader.Error("data format 'idx' needs \"train_images\", \"train_labels\", \"test_images\" and \"test_labels\" paths");
                }

                break;
            default:
                throw reader.Error($"unknown data format '{format}': use csv, sklearn-csv or idx");
        }

        return spec;
    }

    private static ModelSpec ParseModel(Reader reader, JsonElement model)
    {
        string kind = reader.RequiredString(model, "kind", "\"kind\": \"mlp\"").ToLowerInvariant();
        if (!ModelSpec.Kinds.Contains(kind))
        {
            throw reader.Error($"unknown model kind '{kind}': use {string.Join(", ", ModelSpec.Kinds)}");
        }

        IReadOnlyList<int> hidden = reader.OptionalIntArray(model, "hidden") ?? (kind == "mlp" ? [128] : [128]);
        IReadOnlyList<int> channels = reader.OptionalIntArray(model, "channels") ?? (kind == "cnn" ? [16, 32] : []);
        if (hidden.Any(h => h is < 1 or > 65536) || channels.Any(c => c is < 1 or > 4096))
        {
            throw reader.Error("fields 'model.hidden' and 'model.channels' must list positive layer sizes, e.g. [128, 64]");
        }

        int blocks = (int)(reader.OptionalDouble(model, "blocks") ?? 2);
        if (blocks is < 0 or > 64)
        {
            throw reader.Error("field 'model.blocks' must be a whole number of residual blocks in [0, 64]");
        }

        return new ModelSpec(kind, hidden, channels) { Blocks = blocks };
    }

    private static TargetSpec ParseTarget(Reader reader, JsonElement target)
    {
        string metric = reader.OptionalString(target, "metric") ?? "accuracy";
        if (metric != "accuracy")
        {
            throw reader.Error($"unknown target metric '{metric}': only \"accuracy\" (on the held-out split) is supported");
        }

        double value = reader.OptionalDouble(target, "value")
            ?? throw reader.Error("missing field 'target.value': add e.g. \"target\": {\"metric\": \"accuracy\", \"value\": 0.9}");
        if (value is <= 0 or > 1)
        {
            throw reader.Error($"field 'target.value' must be an accuracy in (0, 1], got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return new TargetSpec(metric, value);
    }

    private sealed class Reader(string displayName)
    {
        public TunerInputException Error(string problem) => new($"suite file '{displayName}': {problem}");

        public string RequiredString(JsonElement obj, string name, string example)
        {
            if (!obj.TryGetProperty(name, out JsonElement value))
            {
                throw Error($"missing field '{name}': add e.g. {example}");
            }

            return value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw Error($"field '{name}' must be a string, e.g. {example}");
        }

        public JsonElement RequiredObject(JsonElement obj, string name, string example)
        {
            if (!obj.TryGetProperty(name, out JsonElement value))
            {
                throw Error($"missing field '{name}': add e.g. {example}");
            }

            return value.ValueKind == JsonValueKind.Object ? value : throw Error($"field '{name}' must be an object, e.g. {example}");
        }

        public string? OptionalString(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error($"field '{name}' must be a string");
        }

        public double? OptionalDouble(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Error($"field '{name}' must be a number");
        }

        public IReadOnlyList<int>? OptionalIntArray(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out _)))
            {
                throw Error($"field '{name}' must be an array of whole numbers, e.g. [64, 32]");
            }

            return [.. value.EnumerateArray().Select(v => v.GetInt32())];
        }
    }
}
