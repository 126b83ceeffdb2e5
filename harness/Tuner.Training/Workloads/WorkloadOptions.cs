using System.Globalization;
using System.Text.Json;

namespace Tuner.Training.Workloads;

/// <summary>
/// The <c>options</c> object of a suite file's <c>workload</c> entry, passed to the workload's constructor as written,
/// with typed readers whose errors name the suite file, the option and the expected type. Unknown options are the
/// workload's to refuse (<see cref="OnlyKnown"/>).
/// </summary>
public sealed class WorkloadOptions
{
    private readonly JsonElement _options;

    /// <summary>Options read from <paramref name="options"/> (an object; its clone is kept) of the suite file <paramref name="suiteFile"/>.</summary>
    public WorkloadOptions(JsonElement options, string suiteFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(suiteFile);
        if (options.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined))
        {
            throw new ArgumentException("workload options must be a JSON object", nameof(options));
        }

        if (options.ValueKind == JsonValueKind.Undefined)
        {
            using JsonDocument empty = JsonDocument.Parse("{}");
            _options = empty.RootElement.Clone();
        }
        else
        {
            _options = options.Clone();
        }
        SuiteFile = suiteFile;
    }

    /// <summary>No options, for a workload made in code or a suite file without <c>options</c>.</summary>
    public static WorkloadOptions Empty(string suiteFile) => new(default, suiteFile);

    /// <summary>The suite file's full path; relative paths among the options are meant relative to its folder (<see cref="Path(string)"/>).</summary>
    public string SuiteFile { get; }

    /// <summary>The options as written (an object).</summary>
    public JsonElement Raw => _options;

    /// <summary>Whether the option <paramref name="name"/> was given.</summary>
    public bool Has(string name) => _options.TryGetProperty(name, out _);

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first option that is not in <paramref name="known"/>.</summary>
    public void OnlyKnown(params string[] known)
    {
        foreach (JsonProperty property in _options.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Error($"unknown option '{property.Name}': use {(known.Length == 0 ? "no options" : string.Join(", ", known))}");
            }
        }
    }

    /// <summary>A string option, or <paramref name="fallback"/> when absent.</summary>
    public string? Text(string name, string? fallback = null) =>
        !_options.TryGetProperty(name, out JsonElement value) ? fallback
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw Error($"option '{name}' must be a string, got {value.GetRawText()}");

    /// <summary>A path option resolved against the suite file's folder, or null when absent.</summary>
    public string? Path(string name) => Text(name) is string text ? System.IO.Path.GetFullPath(text, System.IO.Path.GetDirectoryName(SuiteFile)!) : null;

    /// <summary>An integer option, or <paramref name="fallback"/> when absent.</summary>
    public int Whole(string name, int fallback) =>
        !_options.TryGetProperty(name, out JsonElement value) ? fallback
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number
        : throw Error($"option '{name}' must be a whole number, got {value.GetRawText()}");

    /// <summary>A number option, or <paramref name="fallback"/> when absent.</summary>
    public double Number(string name, double fallback) =>
        !_options.TryGetProperty(name, out JsonElement value) ? fallback
        : value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number) ? number
        : throw Error($"option '{name}' must be a finite number, got {value.GetRawText()}");

    /// <summary>A true/false option, or <paramref name="fallback"/> when absent.</summary>
    public bool Flag(string name, bool fallback) =>
        !_options.TryGetProperty(name, out JsonElement value) ? fallback
        : value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"option '{name}' must be true or false, got {value.GetRawText()}"),
        };

    /// <summary>An error about the options, naming the suite file (throw it; Tuner shows its message as one line).</summary>
    public ArgumentException Error(string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"suite file '{System.IO.Path.GetFileName(SuiteFile)}', workload options: {message}"));

    public override string ToString() => _options.GetRawText();
}
