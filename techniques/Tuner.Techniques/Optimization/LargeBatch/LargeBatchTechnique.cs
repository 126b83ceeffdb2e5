using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.LargeBatch;

/// <summary>
/// Trains with a batch <see cref="Factor"/> times larger and scales the base learning rate by factor^lr_power (1: linear
/// scaling, Goyal et al.; 0.5: square-root scaling). Set at FitStart: the engine reads the batch size once after FitStart.
/// </summary>
public sealed class LargeBatchTechnique(int factor, double learningRatePower) : ITechnique
{
    public const string TechniqueName = "large_batch";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "LargeBatch",
        Summary = "Multiplies the batch size by factor and the base learning rate by factor^lr_power (1: linear scaling, 0.5: square-root scaling).",
        Paper = "Goyal et al., Accurate, Large Minibatch SGD, 2017 (linear); Krizhevsky, One weird trick, 2014 and Hoffer, Hubara and Soudry, Train longer, generalize better, NeurIPS 2017 (square root)",
        Options =
        [
            OptionSpec.Whole("factor", 4, 2, 1024, "batch size multiplier"),
            OptionSpec.Number("lr_power", 0.5, 0, 1, "learning rate scales by factor^lr_power: 1 linear, 0.5 square root, 0 unchanged"),
        ],
        Conflicts = ["batch_size"],
        Order = 130,
        Create = o => new LargeBatchTechnique(o.Whole("factor"), o.Number("lr_power")),
        ProbeSummary = "every full batch holds factor times the recipe's samples and the base rate is factor^lr_power times the recipe's",
        Probe = t => new LargeBatchProbe(t),
    };

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
