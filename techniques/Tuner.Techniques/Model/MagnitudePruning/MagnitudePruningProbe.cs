using TorchSharp.Modules;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Model.MagnitudePruning;

/// <summary>Right after magnitude_pruning's AfterOptimizerStep: each weight it masks holds at least its mask's sparsity in exact zeros; the run reaches a sparsity above 0.</summary>
internal sealed class MagnitudePruningProbe(ITechnique technique) : TechniqueProbe<MagnitudePruningTechnique>(technique)
{
    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (!mine || trainingEvent != TrainingEvent.AfterOptimizerStep || point != ObservationPoint.AfterTechnique)
        {
            return;
        }

        foreach ((Parameter weight, double sparsity) in Technique.MaskSparsity)
        {
            float[] values = ProbeValues.Of(weight);
            long zeros = values.LongCount(v => v == 0);
            long expected = MagnitudePruningMath.PrunedCount(values.Length, sparsity);
            if (!Expect(zeros >= expected, $"a weight holds {zeros} zeros after the step, not the {expected} its mask prunes"))
            {
                return;
            }
        }

        if (Technique.AppliedSparsity > 0)
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no weight was pruned";
}
