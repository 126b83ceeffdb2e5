using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Lars;

/// <summary>Replaces the optimizer's update with LARS, layer by layer (each parameter tensor); see <see cref="UpdateRuleStep"/> for how.</summary>
public sealed class LarsTechnique : UpdateRuleTechnique
{
    public const string TechniqueName = "lars";

    public LarsTechnique(LarsOptions options)
        : base(new Rule(options ?? throw new ArgumentNullException(nameof(options))))
    {
        Options = options;
    }

    public override string Name => TechniqueName;

    public LarsOptions Options { get; }

    private sealed class Rule(LarsOptions options) : IUpdateRule
    {
        public int StateSlots => 1;

        public void Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, long step, double learningRate) =>
            LarsMath.Update(parameter, gradient, state[0], learningRate, options);
    }
}
