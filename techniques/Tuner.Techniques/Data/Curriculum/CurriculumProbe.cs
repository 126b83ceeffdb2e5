using Tuner.Training.Engine;

namespace Tuner.Techniques.Data.Curriculum;

/// <summary>Around curriculum's EpochStart: the epoch's rows come in non-decreasing loss under the model of that moment (scored again here), as many as the pacing says.</summary>
internal sealed class CurriculumProbe(ITechnique technique) : TechniqueProbe<CurriculumTechnique>(technique)
{
    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (!mine || trainingEvent != TrainingEvent.EpochStart || point != ObservationPoint.AfterTechnique)
        {
            return;
        }

        float[] losses = ProbeValues.Of(TrainSplitScoring.Score(state.Model, state.Train, TrainSplitScoring.CrossEntropy));
        long[] order = [.. state.EpochIndices!.cpu().data<long>()];
        long expected = CurriculumMath.PacedCount(state.Train.Count, Technique.Options.StartFraction, state.Epoch, Technique.Options.Epochs);
        Expect(order.Length == expected, $"epoch {state.Epoch} holds {order.Length} rows, not the paced {expected}");
        int descents = Enumerable.Range(1, Math.Max(0, order.Length - 1)).Count(i => losses[order[i]] < losses[order[i - 1]] - 1e-6);
        Expect(descents == 0, $"epoch {state.Epoch}'s order goes from harder to easier {descents} times");
        Seen++;
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no epoch was ordered easy to hard";
}
