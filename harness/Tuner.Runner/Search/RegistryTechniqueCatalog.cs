using Tuner.Core.Configuration;
using Tuner.Search.Space;
using Tuner.Techniques;

namespace Tuner.Runner.Search;

/// <summary>The technique library seen through the search's <see cref="ITechniqueCatalog"/>.</summary>
public sealed class RegistryTechniqueCatalog : ITechniqueCatalog
{
    public static RegistryTechniqueCatalog Instance { get; } = new();

    public bool Contains(string name) => TechniqueRegistry.All.Any(d => d.Name == name);

    public IReadOnlyList<string> ConflictsOf(string name) => TechniqueRegistry.Find(name)?.Conflicts ?? [];

    public void Validate(TechniqueSpec spec) => TechniqueRegistry.Create(spec);
}
