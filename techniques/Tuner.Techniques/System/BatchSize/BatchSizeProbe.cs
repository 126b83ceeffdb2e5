using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems.BatchSize;

/// <summary>Each loaded batch holds `size` samples (or the epoch's remainder).</summary>
internal sealed class BatchSizeProbe(ITechnique technique) : TechniqueProbe<BatchSizeTechnique>(technique)
{
    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.AfterDataLoader || point != ObservationPoint.EventStart)
        {
            return;
        }

        long rows = state.Inputs!.shape[0];
        long remaining = state.EpochIndices!.shape[0] - ((long)state.BatchInEpoch * Technique.Size);
        if (Expect(rows == Math.Min(Technique.Size, remaining), $"a batch holds {rows} samples, not {Technique.Size}"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no batch was loaded";
}
