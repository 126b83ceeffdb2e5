using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.StepSchedule;

/// <summary>Scales each step's learning rate by gamma at each milestone of the elapsed budget fraction (in the budget's own unit).</summary>
public sealed class StepScheduleTechnique : LearningRateTechnique
{
    public const string TechniqueName = "step";

    public StepScheduleTechnique(StepScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
    }

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "StepSchedule",
        Summary = "Learning rate is multiplied by gamma at two budget fractions (step decay).",
        Paper = "He, Zhang, Ren and Sun, Deep Residual Learning for Image Recognition, CVPR 2016",
        Options =
        [
            OptionSpec.Number("first", 0.5, 0.001, 1, "first milestone as a budget fraction"),
            OptionSpec.Number("second", 0.75, 0.001, 1, "second milestone, not before first (1: none)"),
            OptionSpec.Number("gamma", 0.1, 1e-6, 1, "multiplier at each milestone"),
        ],
        Conflicts = Schedules.Except(TechniqueName),
        ActsOverHorizon = true,
        Order = 502,
        Create = o => new StepScheduleTechnique(new StepScheduleOptions { First = o.Number("first"), Second = o.Number("second"), Gamma = o.Number("gamma") }),
        ProbeSummary = "every step is taken at base * gamma^(milestones passed), read back from the optimizer",
        Probe = t => new LearningRateProbe<StepScheduleTechnique>(t, (c, s) => StepScheduleMath.LearningRate(1, s.ScheduleFraction, c.Options)),
    };

    public override string Name => TechniqueName;

    public override TechniqueCategory Category => TechniqueCategory.Optimization;

    public StepScheduleOptions Options { get; }

    public override double LearningRateFactor(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return StepScheduleMath.LearningRate(1, state.ScheduleFraction, Options);
    }
}
