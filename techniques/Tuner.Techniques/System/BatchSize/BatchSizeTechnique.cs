using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems.BatchSize;

/// <summary>
/// Trains with <see cref="Size"/> samples per step instead of the recipe's, keeping the learning rate (a systems knob:
/// bigger batches use the hardware better per sample; large_batch also rescales the learning rate). Set at FitStart.
/// </summary>
public sealed class BatchSizeTechnique(int size) : ITechnique
{
    public const string TechniqueName = "batch_size";

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
