using TorchSharp.Modules;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.Lookahead;

/// <summary>
/// Tracks the slow weights itself (the weights before the first step; at each synchronisation slow += alpha (fast - slow))
/// and checks that right after each of lookahead's synchronisations the trainable weights equal them.
/// </summary>
internal sealed class LookaheadProbe(ITechnique technique) : TechniqueProbe<LookaheadTechnique>(technique)
{
    private float[][]? _slow;
    private float[][]? _fast;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.AfterDataLoader && point == ObservationPoint.EventEnd && _slow is null)
        {
            _slow = ProbeValues.Parameters(state.Model);
            return;
        }

        if (!mine || trainingEvent != TrainingEvent.AfterOptimizerStep || _slow is null)
        {
            return;
        }

        if (point == ObservationPoint.BeforeTechnique)
        {
            _fast = ProbeValues.Parameters(state.Model);
            return;
        }

        Parameter[] parameters = [.. state.Model.parameters()];
        float[][] after = ProbeValues.Parameters(state.Model);
        double alpha = Technique.Alpha, worst = 0, scale = 1e-3;
        for (int t = 0; t < parameters.Length; t++)
        {
            if (!parameters[t].requires_grad)
            {
                worst = Math.Max(worst, ProbeValues.MaxDifference(after[t], _fast![t])); // frozen: untouched
                continue;
            }

            for (int i = 0; i < _slow[t].Length; i++)
            {
                _slow[t][i] = (float)(_slow[t][i] + (alpha * (_fast![t][i] - _slow[t][i])));
                worst = Math.Max(worst, Math.Abs(after[t][i] - _slow[t][i]));
                scale = Math.Max(scale, Math.Abs(_slow[t][i]));
            }
        }

        if (Expect(worst <= 1e-5 * scale, $"after synchronisation {Technique.Synchronisations} the weights are {worst:g3} away from slow + alpha (fast - slow)"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : $"no synchronisation (k = {Technique.K})";
}
