using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Systems.Prefetch;

/// <summary>Every batch handed to the trainer equals what the train split holds at the rows asked for (gathered again here); some batches came from another thread.</summary>
internal sealed class PrefetchProbe(ITechnique technique) : TechniqueProbe<PrefetchTechnique>(technique)
{
    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.AfterDataLoader || point != ObservationPoint.EventStart)
        {
            return;
        }

        Tensor rows = state.BatchRows!;
        double inputs = ProbeValues.MaxDifference(ProbeValues.Of(state.Train.Gather(rows)), ProbeValues.Of(state.Inputs!));
        bool labels = ProbeValues.MaxDifference(ProbeValues.Of(state.Train.Labels.index_select(0, rows)), ProbeValues.Of(state.Targets!)) == 0;
        if (Expect(inputs == 0 && labels, "a batch handed to the trainer is not the rows asked for"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) =>
        Seen == 0 ? "no batch was loaded" : Technique.PrefetchedBatches == 0 || Technique.GatheringThreads.All(id => id == Environment.CurrentManagedThreadId)
            ? "no batch was gathered on a background thread"
            : null;
}
