using Tuner.Core.Configuration;

namespace Tuner.Search.Space;

/// <summary>What the search needs to know about techniques without depending on them (the technique library lives
/// on the TorchSharp side): which exist, what they conflict with, and whether options are valid.</summary>
public interface ITechniqueCatalog
{
    /// <summary>Whether <paramref name="name"/> is a known technique.</summary>
    bool Contains(string name);

    /// <summary>The techniques <paramref name="name"/> cannot be combined with.</summary>
    IReadOnlyList<string> ConflictsOf(string name);

    /// <summary>Throws <c>TunerInputException</c> (one line) when the technique's options are unknown or out of range.</summary>
    void Validate(TechniqueSpec spec);
}
