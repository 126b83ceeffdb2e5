using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Budget.BudgetLinearDecay;

/// <summary>Scales each step's learning rate down linearly with the elapsed budget fraction (any unit: seconds, steps, samples, epochs).</summary>
public sealed class BudgetLinearDecayTechnique(double minFactor) : LearningRateTechnique
{
    public const string TechniqueName = "budget_linear_decay";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Budget,
        Folder = "BudgetLinearDecay",
        Summary = "Learning rate decays linearly to zero at the end of the budget (in the budget's own unit).",
        Paper = "Li, Yumer and Ramanan, Budgeted Training, ICLR 2020",
        Options = [OptionSpec.Number("min_factor", 0, 0, 0.999, "floor as a fraction of lr")],
        Conflicts = Schedules.Except(TechniqueName),
        ActsOverHorizon = true,
        Order = 503,
        Create = o => new BudgetLinearDecayTechnique(o.Number("min_factor")),
        ProbeSummary = "every step is taken at base * max(1 - budget fraction, min_factor), read back from the optimizer",
        Probe = t => new LearningRateProbe<BudgetLinearDecayTechnique>(t, (c, s) => BudgetLinearDecayMath.LearningRate(1, s.ScheduleFraction, c.MinFactor)),
    };

    public override string Name => TechniqueName;

    public override TechniqueCategory Category => TechniqueCategory.Budget;

    public double MinFactor { get; } = minFactor;

    public override double LearningRateFactor(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return BudgetLinearDecayMath.LearningRate(1, state.ScheduleFraction, MinFactor);
    }
}
