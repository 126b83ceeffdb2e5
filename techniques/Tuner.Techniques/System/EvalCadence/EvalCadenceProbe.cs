using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems.EvalCadence;

/// <summary>Evaluations happen at every multiple of `every` steps (plus, possibly, one at the end of the run).</summary>
internal sealed class EvalCadenceProbe(ITechnique technique) : TechniqueProbe<EvalCadenceTechnique>(technique)
{
    private readonly List<long> _steps = [];

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.EvalStart && point == ObservationPoint.EventStart)
        {
            _steps.Add(state.Step);
        }
    }

    protected override string? Missing(TrainingOutcome outcome)
    {
        int every = Technique.Every;
        long[] expected = [.. Enumerable.Range(1, (int)(outcome.Steps / every)).Select(i => (long)i * every)];
        long[] seen = [.. _steps.Where(s => s % every == 0)];
        long[] extra = [.. _steps.Where(s => s % every != 0)];
        return !seen.SequenceEqual(expected) ? $"evaluated at steps [{string.Join(", ", _steps)}], not every {every} steps"
            : extra.Length > 1 || (extra.Length == 1 && extra[0] != outcome.Steps) ? $"evaluated off the cadence at steps [{string.Join(", ", extra)}]"
            : expected.Length == 0 ? $"the run was shorter than {every} steps"
            : null;
    }
}
