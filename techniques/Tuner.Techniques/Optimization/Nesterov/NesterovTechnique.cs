using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Nesterov;

/// <summary>Replaces the optimizer's update with SGD + Nesterov momentum (see <see cref="UpdateRuleStep"/> for how).</summary>
public sealed class NesterovTechnique : UpdateRuleTechnique
{
    public const string TechniqueName = "nesterov";

    public NesterovTechnique(NesterovOptions options)
        : base(new Rule(options ?? throw new ArgumentNullException(nameof(options))))
    {
        Options = options;
    }

    public override string Name => TechniqueName;

    public NesterovOptions Options { get; }

    private sealed class Rule(NesterovOptions options) : IUpdateRule
    {
        public int StateSlots => 1;

        public void Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, long step, double learningRate) =>
            NesterovMath.Update(parameter, gradient, state[0], step == 1, learningRate, options.Momentum, options.WeightDecay);
    }
}
