using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems.BatchSize;

/// <summary>
/// Trains with <see cref="Size"/> samples per step instead of the recipe's, keeping the learning rate (a systems knob:
/// bigger batches use the hardware better per sample; large_batch also rescales the learning rate). Set at FitStart.
/// </summary>
public sealed class BatchSizeTechnique(int size) : ITechnique
{
    public const string TechniqueName = "batch_size";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.System,
        Folder = "BatchSize",
        Summary = "Trains with `size` samples per step instead of the recipe's, keeping the learning rate (large_batch also rescales it).",
        Paper = "Goyal et al., Accurate, Large Minibatch SGD, 2017; Shallue et al., Measuring the Effects of Data Parallelism on Neural Network Training, JMLR 2019",
        Options = [OptionSpec.Whole("size", 256, 1, 65536, "samples per step")],
        Conflicts = ["large_batch"],
        Order = 120,
        Create = o => new BatchSizeTechnique(o.Whole("size")),
        ProbeSummary = "every full batch loaded holds `size` samples",
        Probe = t => new BatchSizeProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["size"] = "16" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.System;

    public int Size { get; } = size;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.FitStart;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.BatchSize = Size;
    }
}
