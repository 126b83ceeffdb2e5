using System.Text.Json;
using System.Text.Json.Serialization;
using Tuner.Core.Trials;

namespace Tuner.Core.Results;

/// <summary>JSON (lines) form of <see cref="TrialRecord"/>: snake_case names, enums as strings, invariant numbers.</summary>
public static class TrialRecordJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    public static string Serialize(TrialRecord record) => JsonSerializer.Serialize(record, Options);

    public static TrialRecord Deserialize(string line) =>
        JsonSerializer.Deserialize<TrialRecord>(line, Options) ?? throw new JsonException("empty trial record");

    /// <summary>Reads every record of a JSON-lines file; blank lines are skipped.</summary>
    public static IEnumerable<TrialRecord> ReadAll(string path)
    {
        foreach (string line in File.ReadLines(path))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return Deserialize(line);
            }
        }
    }
}
