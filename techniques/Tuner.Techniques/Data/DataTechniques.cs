using Tuner.Training.Engine;

namespace Tuner.Techniques.Data;

/// <summary>Data-centric techniques (survey "On Efficient Training of Large-Scale Deep Learning Models", arXiv 2304.03589).</summary>
public static class DataTechniques
{
    public static IReadOnlyList<TechniqueDescriptor> All { get; } = [];
}
