namespace Tuner.Search.Space;

/// <summary>
/// A technique in a search space: switched on or off by the tuner (<see cref="Optional"/>) or always on, with the
/// options the tuner chooses (<see cref="Options"/>, active only while the technique is on) and options held fixed.
/// </summary>
public sealed record TechniqueDimension
{
    public TechniqueDimension(string name, bool optional = true, IReadOnlyList<Parameter>? options = null, IReadOnlyDictionary<string, string>? fixedOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Optional = optional;
        Options = options ?? [];
        FixedOptions = fixedOptions ?? new Dictionary<string, string>(StringComparer.Ordinal);
        string? clash = Options.Select(o => o.Name).FirstOrDefault(FixedOptions.ContainsKey);
        if (clash is not null)
        {
            throw new ArgumentException($"technique '{name}': option '{clash}' is both searched and fixed", nameof(fixedOptions));
        }
    }

    public string Name { get; }

    public bool Optional { get; }

    public IReadOnlyList<Parameter> Options { get; }

    public IReadOnlyDictionary<string, string> FixedOptions { get; }
}
