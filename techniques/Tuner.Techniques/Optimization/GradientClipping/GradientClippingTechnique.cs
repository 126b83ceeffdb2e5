using Tuner.Core.Options;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.GradientClipping;

/// <summary>Clips the global gradient norm just before the optimizer step (after SAM, so the step's own gradient is clipped) (Pascanu et al., 2013).</summary>
public sealed class GradientClippingTechnique(double maxNorm) : ITechnique
{
    public const string TechniqueName = "grad_clip";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "GradientClipping",
        Summary = "Clips the global L2 norm of the gradients the optimizer steps with.",
        Paper = "Pascanu et al., On the difficulty of training RNNs, ICML 2013",
        Options = [OptionSpec.Number("max_norm", 1.0, 1e-6, 1e6, "largest gradient norm")],
        Order = 610,
        Create = o => new GradientClippingTechnique(o.Number("max_norm")),
        ProbeSummary = "the gradients the optimizer steps with have global norm at most max_norm, equal to it where they were larger",
        Probe = t => new GradientClippingProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["max_norm"] = "0.5" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public double MaxNorm { get; } = maxNorm;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.BeforeOptimizerStep;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        nn.utils.clip_grad_norm_(state.Model.parameters().Where(p => p.grad is not null), MaxNorm);
    }

    /// <summary>The global L2 norm of the model's gradients.</summary>
    public static double GlobalNorm(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        double squares = 0;
        foreach (TorchSharp.Modules.Parameter parameter in model.parameters())
        {
            if (parameter.grad is { } grad)
            {
                double norm = grad.norm().item<float>();
                squares += norm * norm;
            }
        }

        return Math.Sqrt(squares);
    }
}
