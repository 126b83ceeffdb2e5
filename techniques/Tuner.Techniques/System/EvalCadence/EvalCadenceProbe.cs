using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems.EvalCadence;

/// <summary>
/// Validation happens exactly at the steps whose samples first reach each multiple of `samples` (plus, possibly, one at
/// the end of the run); the test evaluation at the end is not part of the cadence.
/// </summary>
internal sealed class EvalCadenceProbe(ITechnique technique) : TechniqueProbe<EvalCadenceTechnique>(technique)
{
    private readonly List<long> _evaluatedAt = [];
    private readonly List<long> _due = [];
    private long _samplesBefore;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.EvalStart && point == ObservationPoint.EventStart && !state.EvaluatingTest)
        {
            _evaluatedAt.Add(state.Step);
        }
        else if (trainingEvent == TrainingEvent.BatchEnd && point == ObservationPoint.EventEnd)
        {
            long samples = state.Progress.Samples;
            if (samples / Technique.Every > _samplesBefore / Technique.Every)
            {
                _due.Add(state.Step);
            }

            _samplesBefore = samples;
        }
    }

    protected override string? Missing(TrainingOutcome outcome)
    {
        long[] extra = [.. _evaluatedAt.Except(_due)];
        return _due.Count == 0 ? $"the run was shorter than {Technique.Every} samples"
            : !_due.SequenceEqual(_evaluatedAt.Take(_due.Count)) ? $"validated at steps [{string.Join(", ", _evaluatedAt)}], not at [{string.Join(", ", _due)}] where each multiple of {Technique.Every} samples was reached"
            : extra.Length > 1 || (extra.Length == 1 && extra[0] != outcome.Steps) ? $"validated off the cadence at steps [{string.Join(", ", extra)}]"
            : null;
    }
}
