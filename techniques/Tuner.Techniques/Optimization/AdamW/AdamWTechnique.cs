using Tuner.Techniques.Optimization.Adam;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.AdamW;

/// <summary>
/// Replaces the optimizer's update with AdamW: Adam with weight decay decoupled from the gradient
/// (<see cref="AdamMath.Update"/> with decoupled = true); see <see cref="UpdateRuleStep"/> for how.
/// </summary>
public sealed class AdamWTechnique : UpdateRuleTechnique
{
    public const string TechniqueName = "adamw";

    /// <summary>AdamW's default decoupled weight decay (PyTorch's).</summary>
    public const double DefaultWeightDecay = 0.01;

    public AdamWTechnique(AdamOptions options)
        : base(new Rule(options ?? throw new ArgumentNullException(nameof(options))))
    {
        Options = options;
    }

    public override string Name => TechniqueName;

    public AdamOptions Options { get; }

    private sealed class Rule(AdamOptions options) : IUpdateRule
    {
        public int StateSlots => 2;

        public void Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, long step, double learningRate) =>
            AdamMath.Update(parameter, gradient, state[0], state[1], step, learningRate * options.LearningRateScale, options, decoupled: true);
    }
}
