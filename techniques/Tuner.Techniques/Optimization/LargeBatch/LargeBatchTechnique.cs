using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.LargeBatch;

/// <summary>
/// At FitStart multiplies the batch size by <see cref="Factor"/> and the base learning rate by
/// Factor^<see cref="LearningRatePower"/> (what schedules start from and what the optimizer is built with). The run
/// keeps them: the engine reads the batch size once after FitStart.
/// </summary>
public sealed class LargeBatchTechnique(int factor, double learningRatePower) : ITechnique
{
    public const string TechniqueName = "large_batch";

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public int Factor { get; } = factor;

    /// <summary>1 for linear scaling, 0.5 for square-root scaling, 0 to keep the rate.</summary>
    public double LearningRatePower { get; } = learningRatePower;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.FitStart;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.BatchSize = LargeBatchMath.BatchSize(state.BatchSize, Factor);
        state.BaseLearningRate = LargeBatchMath.LearningRate(state.BaseLearningRate, Factor, LearningRatePower);
    }
}
