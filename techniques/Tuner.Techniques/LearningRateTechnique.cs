using Tuner.Training.Engine;

namespace Tuner.Techniques;

/// <summary>
/// The shape of a technique that only shapes the learning rate (a schedule over the budget, warm-up): no event hook,
/// one factor per batch that the engine multiplies into the step's rate (<see cref="ILearningRateFactor"/>).
/// </summary>
public abstract class LearningRateTechnique : ITechnique, ILearningRateFactor
{
    public abstract string Name { get; }

    public abstract TechniqueCategory Category { get; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => false;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
    }

    public abstract double LearningRateFactor(TrainingState state);
}
