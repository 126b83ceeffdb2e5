namespace Tuner.Training.Optimizers;

/// <summary>
/// The one optimizer of a run (<see cref="OptimizerFactory"/>). The engine owns it: it clears the gradients before
/// backward, sets the learning rate of the step, and calls <see cref="TakeStep"/> exactly once per batch. Parameters
/// without a gradient (frozen ones) are left untouched.
/// </summary>
public interface IStepOptimizer : IDisposable
{
    /// <summary>The optimizer's name (<c>sgd</c>, <c>nesterov</c>, <c>adam</c>, <c>adamw</c>, <c>lamb</c>, <c>lars</c>).</summary>
    string Name { get; }

    /// <summary>The learning rate of the next <see cref="TakeStep"/>.</summary>
    double LearningRate { get; set; }

    void ZeroGrad();

    void TakeStep();
}
