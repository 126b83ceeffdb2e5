using System.Text.Json;

namespace Tuner.Suites.Workloads;

/// <summary>
/// A suite file's <c>workload</c> entry: the workload's assembly (full path; written relative to the suite file),
/// its type's full name, and the options passed to its constructor (a JSON object, as written).
/// </summary>
public sealed record WorkloadReference(string AssemblyPath, string TypeName, string OptionsJson)
{
    /// <summary>The options as a JSON element (an object).</summary>
    public JsonElement Options()
    {
        using JsonDocument document = JsonDocument.Parse(OptionsJson);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"{TypeName} ({Path.GetFileName(AssemblyPath)})";
}
