using Tuner.Training.Engine;

namespace Tuner.Techniques.Model;

/// <summary>Model-centric techniques (survey "On Efficient Training of Large-Scale Deep Learning Models", arXiv 2304.03589).</summary>
public static class ModelTechniques
{
    public static IReadOnlyList<TechniqueDescriptor> All { get; } = [];
}
