using Tuner.Core.Workloads;
using Tuner.Core.Options;
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

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Model,
        Folder = "ModelScaling",
        Summary = "Builds the suite's model with its hidden widths and channels times width and its hidden layers or residual blocks times depth (a narrower model trains faster).",
        Paper = "Tan and Le, EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks, ICML 2019",
        Options =
        [
            OptionSpec.Number("width", 0.5, 0.05, 8, "multiplier of hidden widths and channels (at least 1 unit)"),
            OptionSpec.Number("depth", 1.0, 0.1, 8, "multiplier of hidden layers / residual blocks (at least 1)"),
        ],
        Requires = WorkloadFacts.BuiltInModel,
        Order = 140,
        Create = o => new ModelScalingTechnique(new ModelScalingOptions { Width = o.Number("width"), Depth = o.Number("depth") }),
        ProbeSummary = "the trained model has exactly the layer shapes of the scaled spec, which differs from the suite's",
        Probe = t => new ModelScalingProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Model;

    public ModelScalingOptions Options { get; } = (options ?? throw new ArgumentNullException(nameof(options))).Validate();

    /// <summary>The trained model's parameter count, recorded at FitStart (null before).</summary>
    public long? ParameterCount { get; private set; }

    /// <summary>The spec it was given and the one it returned (null before <see cref="Transform"/>).</summary>
    public (ModelSpec Base, ModelSpec Scaled)? Specs { get; private set; }

    public ModelSpec Transform(ModelSpec spec)
    {
        ModelSpec scaled = ModelScalingMath.Transform(spec, Options.Width, Options.Depth);
        Specs = (spec, scaled);
        return scaled;
    }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.FitStart;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ParameterCount = state.Model.parameters().Sum(p => p.numel());
    }
}
