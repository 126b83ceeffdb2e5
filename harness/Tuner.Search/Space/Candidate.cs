using Tuner.Core.Configuration;

namespace Tuner.Search.Space;

/// <summary>
/// One point of a search space: its canonical unit-cube coordinates (equal configurations have equal vectors), the
/// training configuration they decode to, and <see cref="Key"/>, the configuration's canonical text (used to recognise
/// a configuration already tried).
/// </summary>
public sealed record Candidate(IReadOnlyList<double> Unit, TrainingConfiguration Configuration)
{
    public string Key { get; } = Configuration.ToString();

    /// <summary>Names of the techniques switched on, in space order.</summary>
    public IReadOnlyList<string> TechniqueNames => [.. Configuration.Techniques.Select(t => t.Name)];

    public bool Equals(Candidate? other) => other is not null && Key == other.Key;

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);
}
