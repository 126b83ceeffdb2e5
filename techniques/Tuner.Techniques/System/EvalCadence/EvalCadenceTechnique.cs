using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems.EvalCadence;

/// <summary>
/// Evaluates every <see cref="Every"/> steps instead of the suite's cadence (set at FitStart). Evaluation is not charged
/// to the budget, but its cadence is the resolution of time-to-target: evaluating more often detects the target
/// earlier and costs more wall-clock time outside the budget.
/// </summary>
public sealed class EvalCadenceTechnique(int every) : ITechnique
{
    public const string TechniqueName = "eval_cadence";

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.System;

    public int Every { get; } = every;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.FitStart;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.EvalEverySteps = Every;
    }
}
