namespace Tuner.Training.Engine;

/// <summary>
/// A technique that shapes the learning rate (a schedule over the budget, warm-up). Before each batch the engine sets
/// the step's rate to <see cref="TrainingState.BaseLearningRate"/> times the product of every such technique's factor,
/// in the declared order; no technique sets the optimizer's rate itself, so none can undo another's.
/// </summary>
public interface ILearningRateFactor
{
    /// <summary>The factor for the batch about to run (read <see cref="TrainingState.Step"/> and <see cref="TrainingState.BudgetFraction"/>).</summary>
    double LearningRateFactor(TrainingState state);
}
