using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Nesterov;

/// <summary>Replaces the optimizer's update with SGD + Nesterov momentum (see <see cref="UpdateRuleStep"/> for how).</summary>
public sealed class NesterovTechnique : ITechnique
{
    public const string TechniqueName = "nesterov";
    private readonly UpdateRuleStep _step;

    public NesterovTechnique(NesterovOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _step = new UpdateRuleStep(new Rule(options));
    }

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public NesterovOptions Options { get; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => _step.Matches(trainingEvent);

    public void Apply(TrainingEvent trainingEvent, TrainingState state) => _step.Apply(trainingEvent, state);

    private sealed class Rule(NesterovOptions options) : IUpdateRule
    {
        public int StateSlots => 1;

        public void Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, long step, double learningRate) =>
            NesterovMath.Update(parameter, gradient, state[0], step == 1, learningRate, options.Momentum, options.WeightDecay);
    }
}
