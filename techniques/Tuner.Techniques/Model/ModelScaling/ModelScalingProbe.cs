using Tuner.Training.Engine;
using Tuner.Training.Models;

namespace Tuner.Techniques.Model.ModelScaling;

/// <summary>At FitStart the trained model's parameter shapes are exactly those the scaled spec builds, and the scaled spec differs from the suite's.</summary>
internal sealed class ModelScalingProbe(ITechnique technique) : TechniqueProbe<ModelScalingTechnique>(technique)
{
    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.FitStart || point != ObservationPoint.EventStart)
        {
            return;
        }

        if (!Expect(Technique.Specs is not null, "the model was built without its transform (the runner must apply IModelTransform)"))
        {
            return;
        }

        (ModelSpec baseSpec, ModelSpec scaled) = Technique.Specs!.Value;
        // The expected shapes come from the spec alone: building a model here would draw from the global generator.
        string[] want = [.. ModelFactory.ParameterShapes(scaled, state.Train.SampleShape, state.Train.ClassCount).Select(p => string.Join("x", p))];
        string[] have = [.. state.Model.parameters().Select(p => string.Join("x", p.shape))];
        if (Expect(want.SequenceEqual(have), $"the model's parameters [{string.Join(", ", have)}] are not the scaled spec's [{string.Join(", ", want)}]") &&
            Expect(scaled.ToString() != baseSpec.ToString(), "the scaled spec is the suite's own"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "the model was never built";
}
