using Tuner.Training.Engine;

namespace Tuner.Techniques.Budget.BudgetLinearDecay;

/// <summary>Sets the learning rate from the elapsed budget fraction (any unit: seconds, steps, samples, epochs) before each batch.</summary>
public sealed class BudgetLinearDecayTechnique(double minFactor) : ITechnique
{
    public const string TechniqueName = "budget_linear_decay";

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Budget;

    public double MinFactor { get; } = minFactor;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.AfterDataLoader;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetLearningRate(BudgetLinearDecayMath.LearningRate(state.BaseLearningRate, state.BudgetFraction, MinFactor));
    }
}
