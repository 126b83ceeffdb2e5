using Tuner.Training.Engine;

namespace Tuner.Techniques.Data.ProgressiveResizing;

/// <summary>The training forward pass sees images of the scheduled size (smaller early in the budget); evaluation sees full-size images.</summary>
internal sealed class ProgressiveResizingProbe(ITechnique technique) : TechniqueProbe<ProgressiveResizingTechnique>(technique)
{
    private long[]? _loaded;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.AfterDataLoader && point == ObservationPoint.EventStart)
        {
            _loaded = state.Inputs!.shape;
            return;
        }

        if (trainingEvent == TrainingEvent.BeforeForward && point == ObservationPoint.EventStart && _loaded is { Length: 4 } loaded)
        {
            long[] shape = state.Inputs!.shape;
            (long height, long width) = Technique.ScheduledSize(loaded[2], loaded[3], state.ScheduleFraction);
            if (Expect(shape[2] == height && shape[3] == width, $"the forward pass sees {shape[2]}x{shape[3]} images, not the scheduled {height}x{width}") && height < loaded[2])
            {
                Seen++;
            }
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no batch was trained on smaller images";
}
