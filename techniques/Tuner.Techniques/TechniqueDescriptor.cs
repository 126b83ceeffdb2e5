using Tuner.Training.Engine;

namespace Tuner.Techniques;

/// <summary>What <c>tuner list techniques</c> shows, and how to build the technique from its text options.</summary>
public sealed record TechniqueDescriptor(
    string Name,
    TechniqueCategory Category,
    string Summary,
    string Paper,
    IReadOnlyList<string> Conflicts,
    IReadOnlyDictionary<string, string> Options,
    Func<TechniqueOptionReader, ITechnique> Create);
