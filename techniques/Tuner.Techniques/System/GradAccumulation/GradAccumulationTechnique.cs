using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems.GradAccumulation;

/// <summary>
/// Gradient accumulation: each batch is trained as <c>micro_batches</c> consecutive parts, forward and backward one part
/// at a time with the gradients summed, then one optimizer step (<see cref="TrainingState.MicroBatches"/>). The step is
/// the whole batch's (the same mean-loss gradient up to float rounding); the activations held at once are one part's,
/// so it trades time (smaller, less efficient products) for memory: what fits a batch under <c>--memory-limit</c>.
/// </summary>
public sealed class GradAccumulationTechnique(int microBatches) : ITechnique
{
    public const string TechniqueName = "grad_accumulation";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.System,
        Folder = "GradAccumulation",
        Summary = "Trains each batch as micro_batches parts, one forward and backward at a time with the gradients summed, then one optimizer step: the same step with a part's activation memory.",
        Paper = "Huang et al., GPipe: Efficient Training of Giant Neural Networks using Pipeline Parallelism, NeurIPS 2019 (micro-batches with accumulated gradients)",
        Options = [OptionSpec.Whole("micro_batches", 2, 2, 1024, "parts per batch (at most one row each)")],
        Conflicts = ["mixup", "cutmix", "selective_backprop"],
        Order = 121,
        Create = o => new GradAccumulationTechnique(o.Whole("micro_batches")),
        ProbeSummary = "every optimizer step follows micro_batches forward passes over consecutive parts that together are the loaded batch, and one optimizer step per batch",
        Probe = t => new GradAccumulationProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.System;

    public int MicroBatchCount { get; } = microBatches;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.FitStart;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.MicroBatches = MicroBatchCount;
    }
}

/// <summary>
/// Between a batch's AfterDataLoader and its optimizer step: min(micro_batches, rows) forward passes, each on the next
/// consecutive part of the loaded batch (row counts differing by at most one), together exactly the loaded rows.
/// </summary>
internal sealed class GradAccumulationProbe(ITechnique technique) : TechniqueProbe<GradAccumulationTechnique>(technique)
{
    private long _loaded;
    private readonly List<long> _parts = [];

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.AfterDataLoader && point == ObservationPoint.EventEnd)
        {
            _loaded = state.Inputs!.shape[0];
            _parts.Clear();
            return;
        }

        if (trainingEvent == TrainingEvent.BeforeForward && point == ObservationPoint.EventStart)
        {
            _parts.Add(state.Inputs!.shape[0]);
            return;
        }

        if (trainingEvent != TrainingEvent.BeforeOptimizerStep || point != ObservationPoint.EventStart)
        {
            return;
        }

        long want = Math.Min(Technique.MicroBatchCount, _loaded);
        // Another technique's own extra forward pass (SAM's) comes after the parts, at BeforeOptimizerStep.
        if (Expect(_parts.Count == want, $"a batch of {_loaded} rows ran {_parts.Count} forward pass(es), not {want}") &&
            Expect(_parts.Sum() == _loaded && _parts.Max() - _parts.Min() <= 1, $"the parts [{string.Join(", ", _parts)}] are not the batch of {_loaded} split evenly") &&
            Expect(state.Inputs!.shape[0] == _loaded, "the optimizer step does not see the whole batch again"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no batch was split";
}
