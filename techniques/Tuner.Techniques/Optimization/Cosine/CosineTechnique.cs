using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.Cosine;

/// <summary>Scales each step's learning rate by half a cosine of the elapsed budget fraction (in the budget's own unit), down to min_factor.</summary>
public sealed class CosineTechnique(double minFactor) : LearningRateTechnique
{
    public const string TechniqueName = "cosine";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "Cosine",
        Summary = "Learning rate follows half a cosine from the base rate down to min_factor * base over the budget (in the budget's own unit).",
        Paper = "Loshchilov and Hutter, SGDR: Stochastic Gradient Descent with Warm Restarts, ICLR 2017",
        Options = [OptionSpec.Number("min_factor", 0, 0, 0.999, "final rate as a fraction of the base rate")],
        Conflicts = Schedules.Except(TechniqueName),
        ActsOverHorizon = true,
        Order = 500,
        Create = o => new CosineTechnique(o.Number("min_factor")),
        ProbeSummary = "every step is taken at base * cos-schedule(budget fraction), read back from the optimizer",
        Probe = t => new LearningRateProbe<CosineTechnique>(t, (c, s) => CosineMath.LearningRate(1, s.ScheduleFraction, c.MinFactor)),
    };

    public override string Name => TechniqueName;

    public override TechniqueCategory Category => TechniqueCategory.Optimization;

    /// <summary>The final learning rate as a fraction of the base rate.</summary>
    public double MinFactor { get; } = minFactor;

    public override double LearningRateFactor(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return CosineMath.LearningRate(1, state.ScheduleFraction, MinFactor);
    }
}
