namespace Tuner.Training.Engine;

/// <summary>
/// A training technique hooked onto <see cref="TrainingEvent"/>s. Its math lives in pure static functions beside it;
/// this only decides when to act and applies the math to the <see cref="TrainingState"/>. A technique that changes
/// something before an event restores it after (for example the loss function at BeforeLoss / AfterLoss).
/// </summary>
public interface ITechnique
{
    string Name { get; }

    TechniqueCategory Category { get; }

    bool Matches(TrainingEvent trainingEvent, TrainingState state);

    void Apply(TrainingEvent trainingEvent, TrainingState state);
}
