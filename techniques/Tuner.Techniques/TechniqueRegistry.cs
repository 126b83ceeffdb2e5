using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Techniques.Budget;
using Tuner.Techniques.Data;
using Tuner.Techniques.Model;
using Tuner.Techniques.Optimization;
using Tuner.Techniques.Systems;
using Tuner.Training.Engine;

namespace Tuner.Techniques;

/// <summary>Every technique Tuner knows, how to parse <c>--technique name[:key=value,...]</c>, and conflict validation.</summary>
public static class TechniqueRegistry
{
    /// <summary>Every technique, family by family (each family lists its own in {Family}/{Family}Techniques.cs).</summary>
    public static readonly IReadOnlyList<TechniqueDescriptor> All =
    [
        .. DataTechniques.All,
        .. ModelTechniques.All,
        .. OptimizationTechniques.All,
        .. BudgetTechniques.All,
        .. SystemTechniques.All,
    ];

    public static TechniqueDescriptor? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses <c>name</c> or <c>name:key=value,key=value</c>.</summary>
    public static TechniqueSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        string name = (colon < 0 ? trimmed : trimmed[..colon]).Trim().ToLowerInvariant().Replace('-', '_');
        TechniqueDescriptor descriptor = Find(name) ?? throw UnknownTechnique(name);
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (colon >= 0)
        {
            foreach (string part in trimmed[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == part.Length - 1)
                {
                    throw new TunerInputException($"technique {descriptor.Name}: malformed option '{part}': write {descriptor.Name}:key=value[,key=value]");
                }

                options[part[..eq].Trim().ToLowerInvariant()] = part[(eq + 1)..].Trim();
            }
        }

        var spec = new TechniqueSpec(descriptor.Name, options);
        Create(spec); // validate the options now, not at the first batch
        return spec;
    }

    /// <summary>Builds every technique of a configuration after checking duplicates and declared conflicts.</summary>
    public static IReadOnlyList<ITechnique> CreateAll(IReadOnlyList<TechniqueSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        Validate(specs);
        return [.. specs.Select(Create)];
    }

    /// <summary>One-line input error for a duplicated technique or a declared conflicting pair.</summary>
    public static void Validate(IReadOnlyList<TechniqueSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (TechniqueSpec spec in specs)
        {
            TechniqueDescriptor descriptor = Find(spec.Name) ?? throw UnknownTechnique(spec.Name);
            if (!seen.Add(descriptor.Name))
            {
                throw new TunerInputException($"technique {descriptor.Name} is given twice: give it once, with all its options");
            }
        }

        foreach (TechniqueSpec spec in specs)
        {
            TechniqueDescriptor descriptor = Find(spec.Name)!;
            string? other = descriptor.Conflicts.FirstOrDefault(seen.Contains);
            if (other is not null)
            {
                throw new TunerInputException($"techniques {descriptor.Name} and {other} conflict: use one of them");
            }
        }
    }

    public static ITechnique Create(TechniqueSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        TechniqueDescriptor descriptor = Find(spec.Name) ?? throw UnknownTechnique(spec.Name);
        var reader = new TechniqueOptionReader(descriptor.Name, spec.Options);
        ITechnique technique = descriptor.Create(reader);
        reader.RejectUnknown(descriptor.Options.Keys);
        return technique;
    }

    private static TunerInputException UnknownTechnique(string name) =>
        new($"unknown technique '{name}': use one of {string.Join(", ", All.Select(d => d.Name))} (tuner list techniques)");
}
