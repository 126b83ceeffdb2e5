using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Adam;

/// <summary>Replaces the optimizer's update with Adam (L2 weight decay in the gradient); see <see cref="UpdateRuleStep"/> for how.</summary>
public sealed class AdamTechnique : UpdateRuleTechnique
{
    public const string TechniqueName = "adam";

    public AdamTechnique(AdamOptions options)
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
            AdamMath.Update(parameter, gradient, state[0], state[1], step, learningRate * options.LearningRateScale, options, decoupled: false);
    }
}
