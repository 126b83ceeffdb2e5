using Tuner.Techniques.Optimization.Adam;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Lamb;

/// <summary>Replaces the optimizer's update with LAMB, layer by layer (each parameter tensor); see <see cref="UpdateRuleStep"/> for how.</summary>
public sealed class LambTechnique : UpdateRuleTechnique
{
    public const string TechniqueName = "lamb";

    /// <summary>LAMB's default epsilon (the paper's and the reference implementation's).</summary>
    public const double DefaultEpsilon = 1e-6;

    /// <summary>LAMB's default decoupled weight decay (the paper's).</summary>
    public const double DefaultWeightDecay = 0.01;

    public LambTechnique(AdamOptions options)
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
            LambMath.Update(parameter, gradient, state[0], state[1], step, learningRate * options.LearningRateScale, options);
    }
}
