using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.StepSchedule;

/// <summary>Sets the learning rate from the elapsed budget fraction (in the budget's own unit) before each batch.</summary>
public sealed class StepScheduleTechnique : ITechnique
{
    public const string TechniqueName = "step";

    public StepScheduleTechnique(StepScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
    }

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public StepScheduleOptions Options { get; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.AfterDataLoader;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.SetLearningRate(StepScheduleMath.LearningRate(state.BaseLearningRate, state.BudgetFraction, Options));
    }
}
