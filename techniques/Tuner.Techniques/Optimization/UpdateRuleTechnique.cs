using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization;

/// <summary>The common shape of the techniques that replace the optimizer's update rule (nesterov, adam, adamw, lamb, lars).</summary>
public abstract class UpdateRuleTechnique : ITechnique
{
    private readonly UpdateRuleStep _step;

    private protected UpdateRuleTechnique(IUpdateRule rule) => _step = new UpdateRuleStep(rule);

    public abstract string Name { get; }

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => _step.Matches(trainingEvent);

    public void Apply(TrainingEvent trainingEvent, TrainingState state) => _step.Apply(trainingEvent, state);
}
