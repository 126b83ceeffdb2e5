using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.LinearWarmup;

/// <summary>
/// Scales the learning rate of each step by <see cref="LinearWarmupMath.Factor"/> just before the optimizer step, on top of
/// whatever schedule set it (schedules set it from the base rate at AfterDataLoader), and restores it at BatchEnd.
/// </summary>
public sealed class LinearWarmupTechnique(int steps) : ITechnique
{
    public const string TechniqueName = "warmup";
    private double _saved = double.NaN;

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public int Steps { get; } = steps;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) =>
        (trainingEvent is TrainingEvent.BeforeOptimizerStep && state.Step < Steps) || (trainingEvent is TrainingEvent.BatchEnd && !double.IsNaN(_saved));

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent == TrainingEvent.BeforeOptimizerStep)
        {
            _saved = state.CurrentLearningRate;
            state.SetLearningRate(_saved * LinearWarmupMath.Factor(state.Step, Steps));
        }
        else
        {
            state.SetLearningRate(_saved);
            _saved = double.NaN;
        }
    }
}
