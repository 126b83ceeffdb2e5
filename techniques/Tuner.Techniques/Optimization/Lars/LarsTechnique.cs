using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Lars;

/// <summary>Replaces the optimizer's update with LARS, layer by layer (each parameter tensor); see <see cref="UpdateRuleStep"/> for how.</summary>
public sealed class LarsTechnique : ITechnique
{
    public const string TechniqueName = "lars";
    private readonly UpdateRuleStep _step;

    public LarsTechnique(LarsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _step = new UpdateRuleStep(new Rule(options));
    }

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public LarsOptions Options { get; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => _step.Matches(trainingEvent);

    public void Apply(TrainingEvent trainingEvent, TrainingState state) => _step.Apply(trainingEvent, state);

    private sealed class Rule(LarsOptions options) : IUpdateRule
    {
        public int StateSlots => 1;

        public void Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, long step, double learningRate) =>
            LarsMath.Update(parameter, gradient, state[0], learningRate, options);
    }
}
