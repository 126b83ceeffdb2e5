using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.OneCycle;

/// <summary>Scales each step's learning rate by the 1cycle profile of the elapsed budget fraction (in the budget's own unit).</summary>
public sealed class OneCycleTechnique : LearningRateTechnique
{
    public const string TechniqueName = "one_cycle";

    public OneCycleTechnique(OneCycleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
    }

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "OneCycle",
        Summary = "Learning rate rises linearly to max_lr_factor * base at pct_start of the budget, then anneals (cosine or linear) to min_factor * base.",
        Paper = "Smith and Topin, Super-Convergence: Very Fast Training of Neural Networks Using Large Learning Rates, 2019",
        Options =
        [
            OptionSpec.Number("max_lr_factor", 10, 1, 1000, "peak rate as a multiple of the base rate"),
            OptionSpec.Number("pct_start", 0.3, 0.01, 0.99, "budget fraction of the peak"),
            OptionSpec.Number("min_factor", 0, 0, 1, "final rate as a multiple of the base rate"),
            OptionSpec.Flag("linear", false, "anneal linearly after the peak (0: along a cosine)"),
        ],
        Conflicts = Schedules.Except(TechniqueName),
        ActsOverHorizon = true,
        Order = 501,
        Create = o => new OneCycleTechnique(new OneCycleOptions
        {
            MaxFactor = o.Number("max_lr_factor"),
            PctStart = o.Number("pct_start"),
            MinFactor = o.Number("min_factor"),
            LinearAnneal = o.Flag("linear"),
        }),
        ProbeSummary = "every step is taken at base * 1cycle(budget fraction), read back from the optimizer",
        Probe = t => new LearningRateProbe<OneCycleTechnique>(t, (c, s) => OneCycleMath.LearningRate(1, s.ScheduleFraction, c.Options)),
    };

    public override string Name => TechniqueName;

    public override TechniqueCategory Category => TechniqueCategory.Optimization;

    public OneCycleOptions Options { get; }

    public override double LearningRateFactor(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return OneCycleMath.LearningRate(1, state.ScheduleFraction, Options);
    }
}
