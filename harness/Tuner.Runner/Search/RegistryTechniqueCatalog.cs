using Tuner.Core.Configuration;
using Tuner.Core.Workloads;
using Tuner.Search.Space;
using Tuner.Techniques;

namespace Tuner.Runner.Search;

/// <summary>The technique library seen through the search's <see cref="ITechniqueCatalog"/>.</summary>
public sealed class RegistryTechniqueCatalog : ITechniqueCatalog
{
    public static RegistryTechniqueCatalog Instance { get; } = new();

    public bool Contains(string name) => TechniqueRegistry.All.Any(d => d.Name == name);

    public int OrderOf(string name) => TechniqueRegistry.Find(name)?.Order ?? int.MaxValue;

    public IReadOnlyList<string> ConflictsOf(string name) => TechniqueRegistry.Find(name)?.Conflicts ?? [];

    public string? NotApplicable(string name, WorkloadFacts facts, string suite) => TechniqueRegistry.NotApplicable(name, facts, suite);

    public void Validate(TechniqueSpec spec) => TechniqueRegistry.Create(spec);
}
