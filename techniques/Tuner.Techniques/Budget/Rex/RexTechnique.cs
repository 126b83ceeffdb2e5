using Tuner.Training.Engine;

namespace Tuner.Techniques.Budget.Rex;

/// <summary>Scales each step's learning rate by the REX profile of the elapsed budget fraction (any unit: seconds, steps, samples, epochs).</summary>
public sealed class RexTechnique : LearningRateTechnique
{
    public const string TechniqueName = "rex";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Budget,
        Folder = "Rex",
        Summary = "Learning rate follows the REX profile base * (1 - f) / (0.5 + 0.5 * (1 - f)) of the elapsed budget fraction f (in the budget's own unit).",
        Paper = "Chen, Wolfe and Kyrillidis, REX: Revisiting Budgeted Training with an Improved Schedule, MLSys 2022",
        Conflicts = Schedules.Except(TechniqueName),
        ActsOverHorizon = true,
        Order = 504,
        Create = _ => new RexTechnique(),
        ProbeSummary = "every step is taken at base * REX(budget fraction), read back from the optimizer",
        Probe = t => new LearningRateProbe<RexTechnique>(t, (_, s) => RexMath.LearningRate(1, s.ScheduleFraction)),
    };

    public override string Name => TechniqueName;

    public override TechniqueCategory Category => TechniqueCategory.Budget;

    public override double LearningRateFactor(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return RexMath.LearningRate(1, state.ScheduleFraction);
    }
}
