using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems; // not ".System": it would shadow the System namespace inside Tuner.Techniques

/// <summary>System-centric techniques (survey "On Efficient Training of Large-Scale Deep Learning Models", arXiv 2304.03589).</summary>
public static class SystemTechniques
{
    public static IReadOnlyList<TechniqueDescriptor> All { get; } = [];
}
