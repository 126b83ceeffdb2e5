using Tuner.Training.Engine;

namespace Tuner.Techniques.Budget.Rex;

/// <summary>Sets the learning rate from the elapsed budget fraction (any unit: seconds, steps, samples, epochs) before each batch.</summary>
public sealed class RexTechnique : ITechnique
{
    public const string TechniqueName = "rex";

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Budget;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.AfterDataLoader;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetLearningRate(RexMath.LearningRate(state.BaseLearningRate, state.BudgetFraction));
    }
}
