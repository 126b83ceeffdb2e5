using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.CutMix;

/// <summary>Around cutmix's AfterDataLoader: inside the box each image is its partner's, outside it is its own; lambda is 1 - box area; cutmix is in the loss chain.</summary>
internal sealed class CutMixProbe(ITechnique technique) : TechniqueProbe<CutMixTechnique>(technique)
{
    private float[]? _before;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (!mine || trainingEvent != TrainingEvent.AfterDataLoader)
        {
            if (trainingEvent == TrainingEvent.BeforeLoss && point == ObservationPoint.EventStart && Seen > 0)
            {
                Expect(state.LossChain.Contains(Technique.Name), "pasted boxes but is not in the loss chain (labels would not be mixed)");
            }

            return;
        }

        if (point == ObservationPoint.BeforeTechnique)
        {
            _before = ProbeValues.Of(state.Inputs!);
            return;
        }

        if (Technique.Permutation is not { } permutation || _before is null)
        {
            return;
        }

        long[] shape = state.Inputs!.shape;
        CutMixBox box = Technique.Box;
        Tensor before = tensor(_before).reshape(shape);
        Tensor expected = CutMixMath.Paste(before, permutation.cpu(), box);
        double difference = ProbeValues.MaxDifference(ProbeValues.Of(expected), ProbeValues.Of(state.Inputs!));
        double lambda = 1 - (box.Area / (double)(shape[2] * shape[3]));
        if (Expect(difference <= 1e-6, $"the forward inputs are not the images with their partner's box pasted in (max difference {difference:g3})") &&
            Expect(Math.Abs(lambda - Technique.Lambda) < 1e-12, $"lambda {Technique.Lambda} is not 1 - box area / image area = {lambda}"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no batch was cut and mixed";
}
