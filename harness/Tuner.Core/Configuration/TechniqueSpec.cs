namespace Tuner.Core.Configuration;

/// <summary>A technique switched on in a configuration, with its options as text (validated by the technique).</summary>
public sealed record TechniqueSpec(string Name, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>A technique with its default options.</summary>
    public static TechniqueSpec Of(string name) => new(name, new SortedDictionary<string, string>(StringComparer.Ordinal));

    public bool Equals(TechniqueSpec? other) =>
        other is not null && Name == other.Name && Options.Count == other.Options.Count &&
        Options.All(kv => other.Options.TryGetValue(kv.Key, out string? v) && v == kv.Value);

    public override int GetHashCode() => HashCode.Combine(Name, Options.Count);

    /// <summary><c>name</c> or <c>name:key=value,key=value</c>, options in ordinal order.</summary>
    public override string ToString() =>
        Options.Count == 0 ? Name : Name + ":" + string.Join(",", Options.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
