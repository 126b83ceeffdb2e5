using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.GradientClipping;

/// <summary>When the optimizer steps, the global gradient norm is at most max_norm, and where it was larger before clipping it now equals max_norm; some step was clipped.</summary>
internal sealed class GradientClippingProbe(ITechnique technique) : TechniqueProbe<GradientClippingTechnique>(technique)
{
    private double _before;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (mine && trainingEvent == TrainingEvent.BeforeOptimizerStep && point == ObservationPoint.BeforeTechnique)
        {
            _before = GradientClippingTechnique.GlobalNorm(state.Model);
            return;
        }

        if (trainingEvent != TrainingEvent.BeforeOptimizerStep || point != ObservationPoint.EventEnd)
        {
            return;
        }

        double max = Technique.MaxNorm;
        double after = GradientClippingTechnique.GlobalNorm(state.Model);
        Expect(after <= max * (1 + 1e-4), $"the optimizer steps with gradient norm {after:g4} above max_norm {max:g4}");
        if (_before > max && Expect(Math.Abs(after - max) <= max * 1e-3, $"a gradient of norm {_before:g4} was clipped to {after:g4}, not to {max:g4}"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : $"no gradient was larger than max_norm {Technique.MaxNorm:g4}, so none was clipped";
}
