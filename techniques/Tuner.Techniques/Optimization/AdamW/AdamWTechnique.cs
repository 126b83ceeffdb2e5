using Tuner.Techniques.Optimization.Adam;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.AdamW;

/// <summary>
/// Replaces the optimizer's update with AdamW: Adam with weight decay decoupled from the gradient
/// (<see cref="AdamMath.Update"/> with decoupled = true); see <see cref="UpdateRuleStep"/> for how.
/// </summary>
public sealed class AdamWTechnique : ITechnique
{
    public const string TechniqueName = "adamw";

    /// <summary>AdamW's default decoupled weight decay (PyTorch's).</summary>
    public const double DefaultWeightDecay = 0.01;

    private readonly UpdateRuleStep _step;

    public AdamWTechnique(AdamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _step = new UpdateRuleStep(new Rule(options));
    }

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public AdamOptions Options { get; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => _step.Matches(trainingEvent);

    public void Apply(TrainingEvent trainingEvent, TrainingState state) => _step.Apply(trainingEvent, state);

    private sealed class Rule(AdamOptions options) : IUpdateRule
    {
        public int StateSlots => 2;

        public void Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, long step, double learningRate) =>
            AdamMath.Update(parameter, gradient, state[0], state[1], step, learningRate * options.LearningRateScale, options, decoupled: true);
    }
}
