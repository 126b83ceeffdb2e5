using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.OneCycle;

/// <summary>Sets the learning rate from the elapsed budget fraction (in the budget's own unit) before each batch.</summary>
public sealed class OneCycleTechnique : ITechnique
{
    public const string TechniqueName = "one_cycle";

    public OneCycleTechnique(OneCycleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
    }

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public OneCycleOptions Options { get; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.AfterDataLoader;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetLearningRate(OneCycleMath.LearningRate(state.BaseLearningRate, state.BudgetFraction, Options));
    }
}
