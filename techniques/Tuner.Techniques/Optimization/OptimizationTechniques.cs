using Tuner.Techniques.Optimization.GradientClipping;
using Tuner.Techniques.Optimization.LabelSmoothing;
using Tuner.Techniques.Optimization.LinearWarmup;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization;

/// <summary>Optimization-centric techniques (survey section 5).</summary>
public static class OptimizationTechniques
{
    public static IReadOnlyList<TechniqueDescriptor> All { get; } =
    [
        new(
            LabelSmoothingTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Cross-entropy against (1 - alpha) one-hot + alpha uniform targets.",
            "Szegedy et al., Rethinking the Inception Architecture, CVPR 2016",
            [],
            Options(("alpha", "smoothing mass, [0, 1), default 0.1")),
            o => new LabelSmoothingTechnique(o.Number("alpha", 0.1, 0, 0.999)))
        {
            Folder = "LabelSmoothing",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            LinearWarmupTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Learning rate ramps linearly from lr/steps to lr over the first steps.",
            "Goyal et al., Accurate, Large Minibatch SGD, 2017",
            [],
            Options(("steps", "warmup steps, 1..1000000, default 100")),
            o => new LinearWarmupTechnique(o.WholeNumber("steps", 100, 1, 1_000_000)))
        {
            Folder = "LinearWarmup",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            GradientClippingTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Clips the global L2 norm of the gradients after backward.",
            "Pascanu et al., On the difficulty of training RNNs, ICML 2013",
            [],
            Options(("max_norm", "largest gradient norm, (0, 1e6], default 1.0")),
            o => new GradientClippingTechnique(o.Number("max_norm", 1.0, 1e-6, 1e6)))
        {
            Folder = "GradientClipping",
            Contract = TechniqueContract.On("digits-mlp"),
        },
    ];

    private static SortedDictionary<string, string> Options(params (string Key, string Help)[] options) =>
        new(options.ToDictionary(o => o.Key, o => o.Help, StringComparer.Ordinal), StringComparer.Ordinal);
}
