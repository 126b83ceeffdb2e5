using TorchSharp.Modules;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Model.ChannelsLast;

/// <summary>When the training forward pass starts, its image batch and every Conv2d weight are in the channels-last layout.</summary>
internal sealed class ChannelsLastProbe(ITechnique technique) : TechniqueProbe<ChannelsLastTechnique>(technique)
{
    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.BeforeForward || point != ObservationPoint.EventEnd || state.Inputs!.dim() != 4)
        {
            return;
        }

        Conv2d[] convolutions = [.. ModelLayers.Parametric(state.Model).OfType<Conv2d>()];
        if (Expect(ChannelsLastMath.IsChannelsLast(state.Inputs), "the forward pass gets an input batch that is not channels-last") &&
            Expect(convolutions.Length > 0 && convolutions.All(c => ChannelsLastMath.IsChannelsLast(c.weight)), "a Conv2d weight is not channels-last during training"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no image batch was trained";
}
