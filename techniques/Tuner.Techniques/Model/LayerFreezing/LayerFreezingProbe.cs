using TorchSharp.Modules;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Model.LayerFreezing;

/// <summary>
/// Around layer_freezing's BeforeForward: the parameters it froze no longer require gradients; their values are copied
/// then and must be the same at the end of every later batch, whatever else acts on the weights.
/// </summary>
internal sealed class LayerFreezingProbe(ITechnique technique) : TechniqueProbe<LayerFreezingTechnique>(technique)
{
    private readonly List<(Parameter Parameter, float[] Values)> _frozen = [];

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (mine && trainingEvent == TrainingEvent.BeforeForward && point == ObservationPoint.AfterTechnique)
        {
            foreach (Parameter parameter in state.Model.parameters().Where(p => !p.requires_grad))
            {
                if (!_frozen.Any(f => ReferenceEquals(f.Parameter, parameter)))
                {
                    _frozen.Add((parameter, ProbeValues.Of(parameter)));
                }
            }

            return;
        }

        if (trainingEvent == TrainingEvent.BatchEnd && point == ObservationPoint.EventEnd && _frozen.Count > 0)
        {
            foreach ((Parameter parameter, float[] values) in _frozen)
            {
                double moved = ProbeValues.MaxDifference(values, ProbeValues.Of(parameter));
                if (!Expect(!parameter.requires_grad && moved == 0, $"a frozen parameter moved by {moved:g3} (or requires gradients again) at step {state.Step}"))
                {
                    return;
                }
            }

            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no layer was frozen during a step";
}
