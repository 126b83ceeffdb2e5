using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Model.Precision;

/// <summary>Around precision's AfterForward: the model's logits came out of the forward pass in bfloat16 and leave as float32; the parameters stay float32.</summary>
internal sealed class PrecisionProbe(ITechnique technique) : TechniqueProbe<PrecisionTechnique>(technique)
{
    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (!mine || trainingEvent != TrainingEvent.AfterForward)
        {
            return;
        }

        if (point == ObservationPoint.BeforeTechnique)
        {
            Expect(state.Outputs!.dtype == PrecisionTechnique.WorkingType, $"the forward pass produced {state.Outputs!.dtype} logits, not {PrecisionTechnique.WorkingType}");
            return;
        }

        if (Expect(state.Outputs!.dtype == ScalarType.Float32, $"the logits reach the loss as {state.Outputs!.dtype}, not float32") &&
            Expect(state.Model.parameters().All(p => p.dtype == ScalarType.Float32), "a master weight is not float32"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no training forward pass ran in bfloat16";
}
