using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.LinearWarmup;

/// <summary>Scales each step's learning rate by <see cref="LinearWarmupMath.Factor"/> on top of whatever schedule is on (the engine multiplies the factors).</summary>
public sealed class LinearWarmupTechnique(int steps) : LearningRateTechnique
{
    public const string TechniqueName = "warmup";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "LinearWarmup",
        Summary = "Learning rate ramps linearly from lr/steps to lr over the first steps (on top of any schedule).",
        Paper = "Goyal et al., Accurate, Large Minibatch SGD, 2017",
        Options = [OptionSpec.Whole("steps", 100, 1, 1_000_000, "warmup steps")],
        Order = 510,
        Create = o => new LinearWarmupTechnique(o.Whole("steps")),
        ProbeSummary = "step s is taken at (s+1)/steps of the scheduled rate during warm-up, read back from the optimizer",
        Probe = t => new LearningRateProbe<LinearWarmupTechnique>(t, (w, s) => LinearWarmupMath.Factor(s.Step, w.Steps)),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["steps"] = "10" },
    };

    public override string Name => TechniqueName;

    public override TechniqueCategory Category => TechniqueCategory.Optimization;

    public int Steps { get; } = steps;

    public override double LearningRateFactor(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return LinearWarmupMath.Factor(state.Step, Steps);
    }
}
