using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data;

/// <summary>
/// The probe shape shared by mixup and cutmix: around the technique's AfterDataLoader, the batch it hands on must be the
/// mix <see cref="Expected"/> computes from the batch it got and the partner permutation it drew; once it has mixed a
/// batch it must be in the loss chain (or the labels would not be mixed).
/// </summary>
/// <typeparam name="T">The technique watched.</typeparam>
internal abstract class MixedBatchProbe<T>(ITechnique technique) : TechniqueProbe<T>(technique)
    where T : class, ITechnique
{
    private float[]? _before;

    /// <summary>The partner permutation of the current batch, null when it was not mixed.</summary>
    protected abstract Tensor? Permutation { get; }

    /// <summary>What the forward pass should see, from the batch the technique got (CPU float32) and its permutation; with a one-line description of it.</summary>
    protected abstract (Tensor Mixed, string What) Expected(Tensor before, Tensor permutation, TrainingState state);

    /// <summary>Any other condition on the mixed batch (cutmix's lambda): null when it holds.</summary>
    protected virtual string? Also(TrainingState state) => null;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (!mine || trainingEvent != TrainingEvent.AfterDataLoader)
        {
            if (trainingEvent == TrainingEvent.BeforeLoss && point == ObservationPoint.EventStart && Seen > 0)
            {
                Expect(state.LossChain.Contains(Technique.Name), "mixed the inputs but is not in the loss chain (labels would not be mixed)");
            }

            return;
        }

        if (point == ObservationPoint.BeforeTechnique)
        {
            _before = ProbeValues.Of(state.Inputs!);
            return;
        }

        if (Permutation is not { } permutation || _before is null)
        {
            return;
        }

        (Tensor expected, string what) = Expected(tensor(_before).reshape(state.Inputs!.shape), permutation.cpu(), state);
        double difference = ProbeValues.MaxDifference(ProbeValues.Of(expected), ProbeValues.Of(state.Inputs!));
        if (Expect(difference <= 1e-5, $"the forward inputs are not {what} (max difference {difference:g3})"))
        {
            if (Also(state) is string failed)
            {
                Fail(failed);
                return;
            }

            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no batch was mixed";
}
