using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.MixUp;

/// <summary>Around mixup's AfterDataLoader: the batch it hands on is exactly lambda * x + (1 - lambda) * x[perm] of the one it got; mixup is in the loss chain.</summary>
internal sealed class MixUpProbe(ITechnique technique) : TechniqueProbe<MixUpTechnique>(technique)
{
    private float[]? _before;

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

        if (Technique.Permutation is not { } permutation || _before is null)
        {
            return;
        }

        Tensor before = tensor(_before).reshape(state.Inputs!.shape);
        Tensor expected = before.mul(Technique.Lambda).add(before.index_select(0, permutation.cpu()), 1 - Technique.Lambda);
        double difference = ProbeValues.MaxDifference(ProbeValues.Of(expected), ProbeValues.Of(state.Inputs!));
        if (Expect(difference <= 1e-5, $"the forward inputs are not lambda*x + (1-lambda)*x[perm] (max difference {difference:g3})"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no batch was mixed";
}
