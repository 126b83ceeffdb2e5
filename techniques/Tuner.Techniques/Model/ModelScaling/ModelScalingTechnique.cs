using Tuner.Training.Engine;
using Tuner.Training.Models;

namespace Tuner.Techniques.Model.ModelScaling;

/// <summary>
/// Builds a narrower/wider and shallower/deeper model (<see cref="ModelScalingMath.Transform"/>) through
/// <see cref="IModelTransform"/>, applied by the runner before the model is built. At FitStart it records the built model's
/// parameter count, so the run's trace shows it acted.
/// </summary>
public sealed class ModelScalingTechnique(ModelScalingOptions options) : ITechnique, IModelTransform
{
    public const string TechniqueName = "model_scaling";

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Model;

    public ModelScalingOptions Options { get; } = (options ?? throw new ArgumentNullException(nameof(options))).Validate();

    /// <summary>The trained model's parameter count, recorded at FitStart (null before).</summary>
    public long? ParameterCount { get; private set; }

    public ModelSpec Transform(ModelSpec spec) => ModelScalingMath.Transform(spec, Options.Width, Options.Depth);

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.FitStart;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ParameterCount = state.Model.parameters().Sum(p => p.numel());
    }
}
