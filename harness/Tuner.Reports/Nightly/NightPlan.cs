using System.Text.Json;
using System.Text.Json.Serialization;
using Tuner.Core.Regression;

namespace Tuner.Reports.Nightly;

/// <summary>One tracked configuration of a night: its label and its canonical text (<c>TrainingConfiguration.ToString</c>).</summary>
public sealed record NightConfiguration(string Label, string Configuration, double Slowdown = 1.0);

/// <summary>
/// What one suite ran in one night, stored as the nightly study's definition (its space JSON), so reports and later
/// nights read the plan from the store alone. The study is named <c>MANIFEST/NIGHT/SUITE</c>, its tuner is
/// <see cref="TunerName"/>; its trials are tagged with the configuration label.
/// </summary>
public sealed record NightPlan
{
    /// <summary>The tuner name of every nightly study (how reports tell them from search studies).</summary>
    public const string TunerName = "nightly";

    public required string Manifest { get; init; }

    public required string Night { get; init; }

    public required string Suite { get; init; }

    /// <summary>The baseline's label (the first configuration).</summary>
    public required string Baseline { get; init; }

    public required IReadOnlyList<NightConfiguration> Configurations { get; init; }

    public required IReadOnlyList<long> Seeds { get; init; }

    public int? Threads { get; init; }

    public required RegressionPolicy Policy { get; init; }

    /// <summary>True when a slowdown was injected into any configuration: such a night is a test and never becomes history.</summary>
    [JsonIgnore]
    public bool Injected => Configurations.Any(c => c.Slowdown > 1.0);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string StudyName(string manifest, string night, string suite) => $"{manifest}/{night}/{suite}";

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>The plan stored in a nightly study, or null when the JSON is not one (a search study, or damaged).</summary>
    public static NightPlan? TryParse(string json)
    {
        try
        {
            NightPlan? plan = JsonSerializer.Deserialize<NightPlan>(json, Options);
            return plan is { Configurations.Count: > 0 } ? plan : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
