using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.GradientClipping;

/// <summary>Clips the global gradient norm after backward (Pascanu et al., 2013).</summary>
public sealed class GradientClippingTechnique(double maxNorm) : ITechnique
{
    public const string TechniqueName = "grad_clip";

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public double MaxNorm { get; } = maxNorm;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.AfterBackward;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        nn.utils.clip_grad_norm_(state.Model.parameters(), MaxNorm);
    }
}
