using System.Globalization;
using System.Text.Json;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Json;
using Tuner.Core.Trials;
using Tuner.Suites.Workloads;
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
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (ArgumentException ex)
        {
            throw new TunerInputException($"suite file '{path}' is not a valid path: give the path of a suite JSON file, or a built-in suite name (tuner list suites)", ex);
        }

        if (!File.Exists(full) && !Directory.Exists(full) && !IsLink(full))
        {
            throw new TunerInputException($"suite file '{path}' not found: give the path of a suite JSON file, or a built-in suite name (tuner list suites)");
        }

        string text = StrictJson.ReadFile(full, "suite file");
        using (JsonDocument document = StrictJson.Parse(text, $"suite file '{path}'"))
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

        StrictJson.KnownKeys(root, reader.Where(null), "name", "description", "data", "model", "workload", "target", "budget", "baseline", "augment");

        string name = reader.RequiredString(root, "name", "\"name\": \"my-suite\"");
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw reader.Error($"field 'name' must use letters, digits, '-', '_' or '.', got '{name}'");
        }

        bool external = root.TryGetProperty("workload", out JsonElement workloadElement);
        if (external && DescribedOnlyKeys.FirstOrDefault(k => root.TryGetProperty(k, out _)) is string described)
        {
            throw reader.Error($"field '{described}' does not go with 'workload': a workload loads its own data and builds its own model (and declares mirrorable images in its Facts); remove '{described}'");
        }

        JsonElement data = external ? default : reader.RequiredObject(root, "data", "\"data\": {\"format\": \"csv\", \"path\": \"table.csv\", \"label_column\": \"label\"}");
        JsonElement model = external ? default : reader.RequiredObject(root, "model", "\"model\": {\"kind\": \"mlp\", \"hidden\": [64]}");
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

            StrictJson.KnownKeys(augment, reader.Where("augment"), "horizontal_flip");
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

        // What every suite has; then either its own workload from an assembly, or described data and model.
        var suite = new SuiteSpec
        {
            Name = name,
            Description = reader.OptionalString(root, "description") ?? string.Empty,
            Target = ParseTarget(reader, target),
            DefaultBudget = budget,
            Baseline = baseline,
            SourcePath = sourcePath,
        };
        if (external)
        {
            WorkloadReference reference = ParseWorkload(reader, workloadElement, sourcePath);
            return suite with { Workload = reference, External = WorkloadAssemblies.Create(reference, sourcePath ?? reference.AssemblyPath, displayName) };
        }

        DataSpec dataSpec = ParseData(reader, data, sourcePath);
        ModelSpec modelSpec = ParseModel(reader, model);
        if (modelSpec.ReadsTokens && dataSpec.Dataset is "bible-kjv" or "spam-assassin" && (dataSpec.SequenceLength ?? Loading.SuiteDataLoader.DefaultSequenceLength) > modelSpec.Context)
        {
            throw reader.Error($"data.sequence_length {dataSpec.SequenceLength ?? Loading.SuiteDataLoader.DefaultSequenceLength} is above model.context {modelSpec.Context}: the model has positions for {modelSpec.Context} tokens; set data.sequence_length to at most {modelSpec.Context} or raise model.context");
        }

        return suite with { AllowsHorizontalFlip = flip, Data = dataSpec, Model = modelSpec };
    }

    private static readonly string[] DescribedOnlyKeys = ["data", "model", "augment"];

    private const string WorkloadExample = "\"workload\": {\"assembly\": \"bin/Release/net10.0/My.dll\", \"type\": \"My.Workload\", \"options\": {}}";

    private static WorkloadReference ParseWorkload(Reader reader, JsonElement workload, string? sourcePath)
    {
        if (workload.ValueKind != JsonValueKind.Object)
        {
            throw reader.Error($"field 'workload' must be an object like {WorkloadExample}");
        }

        StrictJson.KnownKeys(workload, reader.Where("workload"), "assembly", "type", "options");
        string assembly = reader.RequiredString(workload, "assembly", WorkloadExample);
        string type = reader.RequiredString(workload, "type", WorkloadExample);
        if (assembly.Length == 0 || type.Length == 0)
        {
            throw reader.Error($"fields 'workload.assembly' and 'workload.type' must not be empty, e.g. {WorkloadExample}");
        }

        string options = "{}";
        if (workload.TryGetProperty("options", out JsonElement optionsElement))
        {
            options = optionsElement.ValueKind == JsonValueKind.Object
                ? optionsElement.GetRawText()
                : throw reader.Error("field 'workload.options' must be an object (passed to the workload's constructor as WorkloadOptions)");
        }

        string full;
        try
        {
            string? baseDir = sourcePath is null ? null : Path.GetDirectoryName(sourcePath);
            full = baseDir is null ? Path.GetFullPath(assembly) : Path.GetFullPath(assembly, baseDir);
        }
        catch (ArgumentException ex)
        {
            throw reader.Error($"field 'workload.assembly' is not a valid path: {ex.Message}");
        }

        return new WorkloadReference(full, type, options);
    }

    private static DataSpec ParseData(Reader reader, JsonElement data, string? sourcePath)
    {
        string? baseDir = sourcePath is null ? null : Path.GetDirectoryName(sourcePath);
        string? Resolve(string? p) => p is null ? null : (baseDir is null ? p : Path.GetFullPath(p, baseDir));

        StrictJson.KnownKeys(data, reader.Where("data"), "dataset", "format", "path", "label_column", "train_images", "train_labels", "test_images", "test_labels", "test_fraction", "validation_fraction", "split_seed", "image_shape", "sequence_length", "max_eval_sequences", "max_train_sequences");
        StrictJson.AtMostOne(data, reader.Where("data"), "dataset", "format");
        StrictJson.AtMostOne(data, reader.Where("data"), "dataset", "path");
        StrictJson.AtMostOne(data, reader.Where("data"), "dataset", "train_images");
        string? dataset = reader.OptionalString(data, "dataset");
        string? format = reader.OptionalString(data, "format")?.ToLowerInvariant();
        if (dataset is null && format is null)
        {
            throw reader.Error("field 'data' needs \"dataset\" (fashion-mnist, digits, iris, wine, breast-cancer, bible-kjv, spam-assassin) or \"format\" (csv, sklearn-csv, idx) with file paths");
        }

        // A key the chosen source does not read would be silently ignored: refuse it instead.
        string[] unused = format switch
        {
            "csv" => ["train_images", "train_labels", "test_images", "test_labels"],
            "sklearn-csv" => ["label_column", "train_images", "train_labels", "test_images", "test_labels"],
            "idx" => ["path", "label_column", "test_fraction"],
            _ when dataset == "fashion-mnist" => ["label_column", "train_labels", "test_images", "test_labels", "test_fraction"],
            _ when dataset == "bible-kjv" => ["label_column", "train_labels", "test_images", "test_labels", "test_fraction", "validation_fraction", "split_seed", "image_shape"],
            _ when dataset == "spam-assassin" => ["label_column", "train_labels", "test_images", "test_labels", "image_shape"],
            _ => ["label_column", "train_labels", "test_images", "test_labels"],
        };
        if (dataset is not ("bible-kjv" or "spam-assassin") && TextOnlyKeys.FirstOrDefault(k => data.TryGetProperty(k, out _)) is string textOnly)
        {
            throw reader.Error($"field 'data.{textOnly}' applies only to the text datasets bible-kjv and spam-assassin: remove it");
        }
        if (unused.FirstOrDefault(k => data.TryGetProperty(k, out _)) is string ignored)
        {
            throw reader.Error($"field 'data.{ignored}' does not apply to {(format is null ? $"dataset '{dataset}'" : $"format '{format}'")}: remove it");
        }

        double splitSeed = reader.OptionalDouble(data, "split_seed") ?? 0;
        if (splitSeed is < 0 or > int.MaxValue || splitSeed != Math.Floor(splitSeed))
        {
            throw reader.Error("field 'data.split_seed' must be a whole number from 0 to 2147483647");
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
            ValidationFraction = reader.OptionalDouble(data, "validation_fraction") ?? 0.2,
            SplitSeed = (int)splitSeed,
            ImageShape = reader.OptionalIntArray(data, "image_shape"),
            SequenceLength = reader.OptionalWhole(data, "sequence_length", 1, 65_536),
            MaxEvalSequences = reader.OptionalWhole(data, "max_eval_sequences", 1, int.MaxValue),
            MaxTrainSequences = reader.OptionalWhole(data, "max_train_sequences", 1, int.MaxValue),
        };

        if (spec.TestFraction is <= 0 or >= 1)
        {
            throw reader.Error($"field 'data.test_fraction' must be between 0 and 1 (exclusive), got {spec.TestFraction.ToString(CultureInfo.InvariantCulture)}");
        }

        if (spec.ValidationFraction is <= 0 or >= 1)
        {
            throw reader.Error($"field 'data.validation_fraction' must be between 0 and 1 (exclusive), got {spec.ValidationFraction.ToString(CultureInfo.InvariantCulture)}");
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
        StrictJson.KnownKeys(model, reader.Where("model"), "kind", "hidden", "channels", "blocks", "width", "layers", "heads", "context", "vocabulary", "tie_weights", "attention");
        string kind = reader.RequiredString(model, "kind", "\"kind\": \"mlp\"").ToLowerInvariant();
        if (!ModelSpec.Kinds.Contains(kind))
        {
            throw reader.Error($"unknown model kind '{kind}': use {string.Join(", ", ModelSpec.Kinds)}");
        }

        string[] transformerKeys = ["width", "layers", "heads", "context", "vocabulary", "tie_weights", "attention"];
        string[] unused = kind is "transformer" or "encoder" ? ["hidden", "channels", "blocks"] : transformerKeys;
        if (kind == "encoder")
        {
            unused = [.. unused, "tie_weights"];
        }

        if (unused.FirstOrDefault(k => model.TryGetProperty(k, out _)) is string ignored)
        {
            throw reader.Error($"field 'model.{ignored}' does not apply to model kind '{kind}': remove it");
        }

        if (kind is "transformer" or "encoder")
        {
            return ParseTransformer(reader, model, kind);
        }

        IReadOnlyList<int> hidden = reader.OptionalIntArray(model, "hidden") ?? (kind == "mlp" ? [128] : [128]);
        IReadOnlyList<int> channels = reader.OptionalIntArray(model, "channels") ?? (kind == "cnn" ? [16, 32] : []);
        if (hidden.Any(h => h is < 1 or > 65536) || channels.Any(c => c is < 1 or > 4096))
        {
            throw reader.Error("fields 'model.hidden' and 'model.channels' must list positive layer sizes, e.g. [128, 64]");
        }

        double blocksValue = reader.OptionalDouble(model, "blocks") ?? 2;
        if (blocksValue is < 0 or > 64 || blocksValue != Math.Floor(blocksValue))
        {
            throw reader.Error("field 'model.blocks' must be a whole number of residual blocks in [0, 64]");
        }

        int blocks = (int)blocksValue;
        double weights = InnerWeights(kind, hidden, channels, blocks);
        if (weights > MaxInnerWeights)
        {
            throw reader.Error(string.Create(CultureInfo.InvariantCulture,
                $"the model would have at least {weights:0.###e0} weights between its layers, more than {MaxInnerWeights:0.#e0} (1 GB of fp32 weights before gradients and optimizer state): use smaller 'model.hidden' or 'model.channels'"));
        }

        return new ModelSpec(kind, hidden, channels) { Blocks = blocks };
    }

    private static readonly string[] TextOnlyKeys = ["sequence_length", "max_eval_sequences", "max_train_sequences"];

    private static ModelSpec ParseTransformer(Reader reader, JsonElement model, string kind)
    {
        var defaults = new ModelSpec(kind, [], []);
        string attention = reader.OptionalString(model, "attention") ?? "fused";
        if (!ModelSpec.AttentionKinds.Contains(attention))
        {
            throw reader.Error($"unknown model.attention '{attention}': use {string.Join(" or ", ModelSpec.AttentionKinds)}");
        }

        bool tie = true;
        if (model.TryGetProperty("tie_weights", out JsonElement tieElement))
        {
            tie = tieElement.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw reader.Error("field 'model.tie_weights' must be true or false"),
            };
        }

        ModelSpec spec = defaults with
        {
            Width = reader.OptionalWhole(model, "width", 1, 8192) ?? defaults.Width,
            Layers = reader.OptionalWhole(model, "layers", 1, 256) ?? defaults.Layers,
            Heads = reader.OptionalWhole(model, "heads", 1, 256) ?? defaults.Heads,
            Context = reader.OptionalWhole(model, "context", 1, 65_536) ?? defaults.Context,
            Vocabulary = reader.OptionalWhole(model, "vocabulary", 2, 1 << 20) ?? defaults.Vocabulary,
            TieWeights = tie,
            Attention = attention,
        };
        if (spec.Width % spec.Heads != 0)
        {
            throw reader.Error($"model.width {spec.Width} does not divide into {spec.Heads} heads: use a width that is a multiple of model.heads");
        }

        double weights = 12.0 * spec.Layers * spec.Width * spec.Width;
        if (weights > MaxInnerWeights)
        {
            throw reader.Error(string.Create(CultureInfo.InvariantCulture,
                $"the model would have {weights:0.###e0} weights in its blocks, more than {MaxInnerWeights:0.#e0} (1 GB of fp32 weights before gradients and optimizer state): use a smaller 'model.width' or fewer 'model.layers'"));
        }

        return spec;
    }

    /// <summary>The most weights a suite's model may have between its hidden layers (a lower bound that ignores the input and output layers).</summary>
    private const double MaxInnerWeights = 2.5e8;

    /// <summary>
    /// A lower bound on a model's weights, from the layer sizes alone: consecutive hidden layers, 3x3 convolutions between
    /// consecutive channel counts, two square layers per residual block.
    /// </summary>
    private static double InnerWeights(string kind, IReadOnlyList<int> hidden, IReadOnlyList<int> channels, int blocks)
    {
        double weights = 0;
        for (int i = 1; i < hidden.Count; i++)
        {
            weights += (double)hidden[i - 1] * hidden[i];
        }

        for (int i = 1; i < channels.Count; i++)
        {
            weights += 9.0 * channels[i - 1] * channels[i];
        }

        if (kind == "resmlp" && hidden.Count > 0)
        {
            weights += 2.0 * blocks * hidden[0] * (double)hidden[0];
        }

        return weights;
    }

    private static TargetSpec ParseTarget(Reader reader, JsonElement target)
    {
        StrictJson.KnownKeys(target, reader.Where("target"), "metric", "value");
        string metric = reader.OptionalString(target, "metric") ?? "accuracy";
        if (!TargetMetrics.Known.Contains(metric))
        {
            throw reader.Error($"unknown target metric '{metric}': use \"accuracy\" (higher is better), \"loss\" (mean cross-entropy in nats), \"bits_per_char\" or \"perplexity\" (lower is better), all on the validation split");
        }

        double value = reader.OptionalDouble(target, "value")
            ?? throw reader.Error("missing field 'target.value': add e.g. \"target\": {\"metric\": \"accuracy\", \"value\": 0.9}");
        if (TargetMetrics.Check(metric, value) is string valid)
        {
            throw reader.Error($"field 'target.value' {value.ToString(CultureInfo.InvariantCulture)} is not a valid {metric} target: {valid}");
        }

        return new TargetSpec(metric, value);
    }

    private sealed class Reader(string displayName)
    {
        public TunerInputException Error(string problem) => new($"suite file '{displayName}': {problem}");

        /// <summary>"suite file 'x.json'" or "suite file 'x.json', field 'data'", for the shared key checks.</summary>
        public string Where(string? field) => field is null ? $"suite file '{displayName}'" : $"suite file '{displayName}', field '{field}'";

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

        /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
        public int? OptionalWhole(JsonElement obj, string name, int min, int max)
        {
            double? value = OptionalDouble(obj, name);
            if (value is not double v)
            {
                return null;
            }

            return v >= min && v <= max && v == Math.Floor(v)
                ? (int)v
                : throw Error(string.Create(CultureInfo.InvariantCulture, $"field '{name}' must be a whole number from {min} to {max}, got {v}"));
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

    private static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
