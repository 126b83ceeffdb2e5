using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Json;
using Tuner.Core.Workloads;

namespace Tuner.Search.Space;

/// <summary>
/// Reads and writes search spaces as JSON (the <c>--space FILE</c> format, documented in the README):
/// <code>
/// {
///   "parameters": { "lr": { "low": 0.01, "high": 0.3, "log": true }, "batch_size": [64, 128, 256], "optimizer": ["sgd", "adam"] },
///   "techniques": {
///     "ema": { "options": { "decay": [0.99, 0.999] } },
///     "precision": {},
///     "lookahead": { "always": true, "fixed": { "k": 5 } }
///   },
///   "max_techniques": 3
/// }
/// </code>
/// A parameter is a list (a choice) or a range object (<c>low</c>, <c>high</c>, optional <c>log</c> and
/// <c>integer</c>); parameter names are the keys of <c>--set</c>. A technique is optional (the tuner switches it on
/// or off) unless <c>"always": true</c>; its <c>options</c> are searched, its <c>fixed</c> options held. Conflicts and
/// the canonical order (the techniques are kept in it, whatever order the file lists them in) come from the technique
/// library; a technique that does not apply to the suite is refused. Every mistake is a one-line <see cref="TunerInputException"/> naming the file and the
/// entry; every value is validated before a trial runs.
/// </summary>
public static class SearchSpaceFile
{
    private static readonly string[] NumericParameters = ["lr", "batch_size", "momentum", "weight_decay", "horizon"];

    /// <summary>Reads <paramref name="path"/> into a space over <paramref name="baseline"/>.</summary>
    public static SearchSpace Load(string path, TrainingConfiguration baseline, ITechniqueCatalog catalog, (WorkloadFacts Facts, string Name)? suite = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(StrictJson.ReadFile(path, "space file"), path, baseline, catalog, suite);
    }

    /// <summary>
    /// Parses space JSON; <paramref name="source"/> names it in error messages. With <paramref name="suite"/> (a new
    /// study), a technique that does not apply to it is an error; a stored study's space is read without that check.
    /// </summary>
    public static SearchSpace Parse(string json, string source, TrainingConfiguration baseline, ITechniqueCatalog catalog, (WorkloadFacts Facts, string Name)? suite = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(catalog);
        JsonObject root = StrictJson.ParseNode(json, $"space file {source}") as JsonObject
            ?? throw new TunerInputException($"space file {source}: expected a JSON object with \"parameters\" and/or \"techniques\"");

        string? unknownKey = root.Select(kv => kv.Key).FirstOrDefault(k => k is not ("parameters" or "techniques" or "max_techniques"));
        if (unknownKey is not null)
        {
            throw Error(source, $"unknown key '{unknownKey}': use parameters, techniques and max_techniques");
        }

        var parameters = new List<Parameter>();
        if (root["parameters"] is JsonNode parametersNode)
        {
            JsonObject obj = parametersNode as JsonObject ?? throw Error(source, "\"parameters\" must be an object of name: choice list or range");
            foreach ((string name, JsonNode? node) in obj)
            {
                parameters.Add(ReadBaseParameter(source, name, node, baseline));
            }
        }

        var techniques = new List<TechniqueDimension>();
        if (root["techniques"] is JsonNode techniquesNode)
        {
            JsonObject obj = techniquesNode as JsonObject ?? throw Error(source, "\"techniques\" must be an object of technique name: settings");
            foreach ((string name, JsonNode? node) in obj)
            {
                techniques.Add(ReadTechnique(source, name, node, catalog));
                if (suite is { } s && catalog.NotApplicable(name, s.Facts, s.Name) is string reason)
                {
                    throw Error(source, reason);
                }
            }

            techniques = [.. techniques.OrderBy(t => catalog.OrderOf(t.Name))];
        }

        if (parameters.Count == 0 && techniques.Count == 0)
        {
            throw Error(source, "the space is empty: give at least one parameter or technique");
        }

        int? max = null;
        if (root["max_techniques"] is JsonNode maxNode)
        {
            max = maxNode is JsonValue v && v.TryGetValue(out int m) && m >= 0 ? m : throw Error(source, "max_techniques must be a whole number >= 0");
        }

        try
        {
            return new SearchSpace(baseline, parameters, techniques, Conflicts(techniques, catalog), max);
        }
        catch (ArgumentException ex)
        {
            throw Error(source, ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    /// <summary>The canonical JSON of a space (stable key order, invariant numbers): what a study stores to recognise its space.</summary>
    public static string ToJson(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var parameters = new JsonObject();
        foreach (Parameter p in space.Parameters)
        {
            parameters[p.Name] = ToNode(p);
        }

        var techniques = new JsonObject();
        foreach (TechniqueDimension t in space.Techniques)
        {
            var node = new JsonObject();
            if (!t.Optional)
            {
                node["always"] = true;
            }

            if (t.Options.Count > 0)
            {
                var options = new JsonObject();
                foreach (Parameter o in t.Options)
                {
                    options[o.Name] = ToNode(o);
                }

                node["options"] = options;
            }

            if (t.FixedOptions.Count > 0)
            {
                var fixedOptions = new JsonObject();
                foreach (var (key, value) in t.FixedOptions.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    fixedOptions[key] = value;
                }

                node["fixed"] = fixedOptions;
            }

            techniques[t.Name] = node;
        }

        var root = new JsonObject { ["parameters"] = parameters, ["techniques"] = techniques };
        if (space.MaxTechniques is int max)
        {
            root["max_techniques"] = max;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static JsonNode ToNode(Parameter p) => p switch
    {
        ChoiceParameter c => new JsonArray([.. c.Values.Select(v => (JsonNode)JsonValue.Create(v))]),
        RangeParameter r => new JsonObject
        {
            ["low"] = r.Low,
            ["high"] = r.High,
            ["log"] = r.Log,
            ["integer"] = r.Whole,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(p), p.GetType().Name, "unknown parameter kind"),
    };

    private static Parameter ReadBaseParameter(string source, string name, JsonNode? node, TrainingConfiguration baseline)
    {
        string key = string.Equals(name, "learning_rate", StringComparison.OrdinalIgnoreCase) ? "lr" : name.ToLowerInvariant();
        if (!ConfigurationOverrides.Keys.ContainsKey(key) || key == "eval_samples")
        {
            throw Error(source, $"unknown parameter '{name}': use {string.Join(", ", ConfigurationOverrides.Keys.Keys.Where(k => k != "eval_samples"))} (evaluation cadence is the suite's, not searched: evaluation is not charged)");
        }

        Parameter parameter = ReadParameter(source, $"parameter '{name}'", key, node, allowRange: NumericParameters.Contains(key), whole: key == "batch_size");
        foreach (string value in ProbeValues(parameter))
        {
            try
            {
                ConfigurationOverrides.Apply(baseline, [$"{key}={value}"]);
            }
            catch (TunerInputException ex)
            {
                throw Error(source, $"parameter '{name}': {ex.Message}");
            }
        }

        return parameter;
    }

    private static TechniqueDimension ReadTechnique(string source, string name, JsonNode? node, ITechniqueCatalog catalog)
    {
        if (!catalog.Contains(name))
        {
            throw Error(source, OptimizerCatalog.Find(name) is not null
                ? $"'{name}' is an optimizer, not a technique: choose it under parameters, e.g. \"optimizer\": [\"sgd\", \"{name}\"]"
                : $"unknown technique '{name}': see tuner list techniques");
        }

        JsonObject settings = node as JsonObject ?? throw Error(source, $"technique '{name}' must be an object ({{}} for its defaults)");
        string? unknown = settings.Select(kv => kv.Key).FirstOrDefault(k => k is not ("options" or "fixed" or "always"));
        if (unknown is not null)
        {
            throw Error(source, $"technique '{name}': unknown key '{unknown}': use options, fixed and always");
        }

        bool always = settings["always"] is JsonNode a
            && (a is JsonValue av && av.TryGetValue(out bool b) ? b : throw Error(source, $"technique '{name}': always must be true or false"));
        var options = new List<Parameter>();
        if (settings["options"] is JsonNode optionsNode)
        {
            JsonObject obj = optionsNode as JsonObject ?? throw Error(source, $"technique '{name}': options must be an object of option: choice list or range");
            foreach ((string option, JsonNode? value) in obj)
            {
                options.Add(ReadParameter(source, $"technique '{name}' option '{option}'", option, value, allowRange: true, whole: false));
            }
        }

        var fixedOptions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (settings["fixed"] is JsonNode fixedNode)
        {
            JsonObject obj = fixedNode as JsonObject ?? throw Error(source, $"technique '{name}': fixed must be an object of option: value");
            foreach ((string option, JsonNode? value) in obj)
            {
                fixedOptions[option] = Scalar(source, $"technique '{name}' fixed option '{option}'", value);
            }
        }

        TechniqueDimension dimension;
        try
        {
            dimension = new TechniqueDimension(name, !always, options, fixedOptions);
        }
        catch (ArgumentException ex)
        {
            throw Error(source, ex.Message.Split(" (Parameter", 2)[0]);
        }

        // Validate every value each searched option can take at its extremes (and every choice), with the fixed ones.
        foreach (Parameter option in options)
        {
            foreach (string value in ProbeValues(option))
            {
                var probe = new SortedDictionary<string, string>(fixedOptions, StringComparer.Ordinal) { [option.Name] = value };
                ValidateTechnique(source, catalog, new TechniqueSpec(name, probe));
            }
        }

        ValidateTechnique(source, catalog, new TechniqueSpec(name, fixedOptions));
        return dimension;
    }

    private static void ValidateTechnique(string source, ITechniqueCatalog catalog, TechniqueSpec spec)
    {
        try
        {
            catalog.Validate(spec);
        }
        catch (TunerInputException ex)
        {
            throw Error(source, ex.Message);
        }
    }

    private static Parameter ReadParameter(string source, string what, string name, JsonNode? node, bool allowRange, bool whole)
    {
        switch (node)
        {
            case JsonArray array:
                if (array.Count == 0)
                {
                    throw Error(source, $"{what} is an empty choice: list at least one value");
                }

                string[] values = [.. array.Select(v => Scalar(source, what, v))];
                string? repeated = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
                return repeated is null ? new ChoiceParameter(name, values) : throw Error(source, $"{what} lists '{repeated}' twice");
            case JsonObject range when allowRange:
                string? unknown = range.Select(kv => kv.Key).FirstOrDefault(k => k is not ("low" or "high" or "log" or "integer"));
                if (unknown is not null)
                {
                    throw Error(source, $"{what}: unknown key '{unknown}' in a range: use low, high, log, integer");
                }

                double low = Number(source, what, range["low"], "low");
                double high = Number(source, what, range["high"], "high");
                bool log = range["log"] is JsonValue lv && lv.TryGetValue(out bool l) && l;
                bool integer = whole || (range["integer"] is JsonValue iv && iv.TryGetValue(out bool i) && i);
                if (low > high)
                {
                    throw Error(source, $"{what} has an inverted range: low {Text(low)} > high {Text(high)}; swap them");
                }

                if (log && low <= 0)
                {
                    throw Error(source, $"{what} is on a log scale but low is {Text(low)}: use low > 0 or \"log\": false");
                }

                return new RangeParameter(name, low, high, log, integer);
            case JsonObject:
                throw Error(source, $"{what} must be a list of choices");
            default:
                throw Error(source, $"{what} must be a list of choices{(allowRange ? " or a range {\"low\": .., \"high\": ..}" : string.Empty)}");
        }
    }

    private static IEnumerable<string> ProbeValues(Parameter parameter) => parameter switch
    {
        ChoiceParameter c => c.Values,
        _ => [parameter.Decode(0), parameter.Decode(1)],
    };

    private static string Scalar(string source, string what, JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v when v.TryGetValue(out double d) && double.IsFinite(d) => Text(d),
        JsonValue v when v.TryGetValue(out bool b) => b ? "1" : "0",
        _ => throw Error(source, $"{what}: values must be numbers, strings or booleans"),
    };

    private static double Number(string source, string what, JsonNode? node, string field) =>
        node is JsonValue v && v.TryGetValue(out double d) && double.IsFinite(d)
            ? d
            : throw Error(source, $"{what}: range needs a numeric \"{field}\"");

    private static string Text(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static List<(string, string)> Conflicts(List<TechniqueDimension> techniques, ITechniqueCatalog catalog)
    {
        var names = techniques.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return [.. techniques.SelectMany(t => catalog.ConflictsOf(t.Name).Where(names.Contains).Select(c => (t.Name, c)))];
    }

    private static TunerInputException Error(string source, string message) => new($"space file {source}: {message}");
}
