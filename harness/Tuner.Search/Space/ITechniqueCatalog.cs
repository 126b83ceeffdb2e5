using Tuner.Core.Configuration;
using Tuner.Core.Workloads;

namespace Tuner.Search.Space;

/// <summary>What the search needs to know about techniques without depending on them (the technique library lives
/// on the TorchSharp side): which exist, their canonical order, what they conflict with, where they apply, and whether
/// options are valid.</summary>
public interface ITechniqueCatalog
{
    /// <summary>Whether <paramref name="name"/> is a known technique.</summary>
    bool Contains(string name);

    /// <summary>The technique's place in the library's canonical order (lower acts first).</summary>
    int OrderOf(string name);

    /// <summary>The techniques <paramref name="name"/> cannot be combined with.</summary>
    IReadOnlyList<string> ConflictsOf(string name);

    /// <summary>Null when the technique applies to a workload with <paramref name="facts"/>; else the one-line reason naming suite <paramref name="suite"/>.</summary>
    string? NotApplicable(string name, WorkloadFacts facts, string suite);

    /// <summary>Throws <c>TunerInputException</c> (one line) when the technique's options are unknown or out of range.</summary>
    void Validate(TechniqueSpec spec);
}
