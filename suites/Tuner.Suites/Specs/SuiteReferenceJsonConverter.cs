using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tuner.Suites.Specs;

/// <summary>
/// A suite in JSON as its reference (<see cref="SuiteCatalog.Reference"/>: a built-in name, or the full path of a suite
/// file, which names a workload assembly where it has one) and read back with <see cref="SuiteCatalog.Resolve(string)"/>:
/// how a trial description names its suite on the worker wire (never a shell: the text is data).
/// </summary>
public sealed class SuiteReferenceJsonConverter : JsonConverter<SuiteSpec>
{
    public override SuiteSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? reference = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException("a suite is a built-in name or a suite file path");
        return string.IsNullOrWhiteSpace(reference) ? throw new JsonException("empty suite reference") : SuiteCatalog.Resolve(reference);
    }

    public override void Write(Utf8JsonWriter writer, SuiteSpec value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(SuiteCatalog.Reference(value));
    }
}
