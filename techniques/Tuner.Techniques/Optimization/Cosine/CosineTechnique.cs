using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.Cosine;

/// <summary>Sets the learning rate from the elapsed budget fraction (in the budget's own unit) before each batch.</summary>
public sealed class CosineTechnique(double minFactor) : ITechnique
{
    public const string TechniqueName = "cosine";

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    /// <summary>The final learning rate as a fraction of the base rate.</summary>
    public double MinFactor { get; } = minFactor;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.AfterDataLoader;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetLearningRate(CosineMath.LearningRate(state.BaseLearningRate, state.BudgetFraction, MinFactor));
    }
}
