using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.Swa;

/// <summary>Keeps its own equal-weight average of the live weights at each snapshot swa takes, and checks that every evaluation after the first snapshot sees it, and that it differs from the live weights.</summary>
internal sealed class SwaProbe(ITechnique technique) : TechniqueProbe<SwaTechnique>(technique)
{
    private double[][]? _sum;
    private long _count;
    private float[][]? _live;
    private int _evaluations;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (mine && trainingEvent == TrainingEvent.AfterOptimizerStep && point == ObservationPoint.AfterTechnique && Technique.TookSnapshot)
        {
            float[][] weights = ProbeValues.Parameters(state.Model);
            _sum ??= [.. weights.Select(w => new double[w.Length])];
            for (int t = 0; t < weights.Length; t++)
            {
                for (int i = 0; i < weights[t].Length; i++)
                {
                    _sum[t][i] += weights[t][i];
                }
            }

            _count++;
            return;
        }

        if (trainingEvent == TrainingEvent.AfterOptimizerStep && point == ObservationPoint.EventEnd)
        {
            _live = ProbeValues.Parameters(state.Model);
            return;
        }

        if (trainingEvent == TrainingEvent.EvalStart && point == ObservationPoint.EventEnd && _count > 0)
        {
            float[][] average = [.. _sum!.Select(s => s.Select(v => (float)(v / _count)).ToArray())];
            float[][] evaluated = ProbeValues.Parameters(state.Model);
            double error = ProbeValues.MaxDifference(evaluated, average);
            double scale = Math.Max(1e-3, ProbeValues.MaxAbs(average));
            if (Expect(error <= 1e-4 * scale, $"evaluation at step {state.Step} sees weights {error:g3} away from the average of the {_count} snapshots") &&
                Expect(_count < 2 || ProbeValues.MaxDifference(evaluated, _live!) > 0, $"evaluation at step {state.Step} sees the live weights, not their average"))
            {
                _evaluations++;
            }
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => _evaluations > 0 ? null : "no evaluation saw an average";
}
