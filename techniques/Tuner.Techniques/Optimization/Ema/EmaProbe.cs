using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.Ema;

/// <summary>
/// Keeps its own running average of the live weights (from the weights before the first step, updated with the decay
/// after every step, once all step wrappers have acted) and checks that every evaluation sees that average, and that it
/// differs from the live weights.
/// </summary>
internal sealed class EmaProbe(ITechnique technique) : TechniqueProbe<EmaTechnique>(technique)
{
    private float[][]? _average;
    private float[][]? _live;
    private int _evaluations;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        switch (trainingEvent, point)
        {
            case (TrainingEvent.AfterDataLoader, ObservationPoint.EventEnd) when _average is null:
                _average = ProbeValues.Parameters(state.Model);
                _live = _average;
                break;
            case (TrainingEvent.AfterOptimizerStep, ObservationPoint.EventEnd) when _average is not null:
                _live = ProbeValues.Parameters(state.Model);
                double d = Technique.Decay;
                for (int t = 0; t < _average.Length; t++)
                {
                    for (int i = 0; i < _average[t].Length; i++)
                    {
                        _average[t][i] = (float)((d * _average[t][i]) + ((1 - d) * _live[t][i]));
                    }
                }

                break;
            case (TrainingEvent.EvalStart, ObservationPoint.EventEnd) when _average is not null && state.OptimizerSteps > 0:
                float[][] evaluated = ProbeValues.Parameters(state.Model);
                double error = ProbeValues.MaxDifference(evaluated, _average);
                double scale = Math.Max(1e-3, ProbeValues.MaxAbs(_average));
                if (Expect(error <= 1e-4 * scale, $"evaluation at step {state.Step} sees weights {error:g3} away from the running average of the live weights") &&
                    Expect(ProbeValues.MaxDifference(evaluated, _live!) > 0, $"evaluation at step {state.Step} sees the live weights, not their average"))
                {
                    _evaluations++;
                }

                break;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => _evaluations > 0 ? null : "no evaluation after a step";
}
