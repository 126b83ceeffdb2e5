using System.Diagnostics;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems.InjectedSlowdown;

/// <summary>
/// After every batch, the technique's own action at BatchEnd held the clock for (factor - 1) times the batch's duration
/// from the technique's action at BatchStart (10% tolerance for the observer's own calls).
/// </summary>
internal sealed class InjectedSlowdownProbe(ITechnique technique) : TechniqueProbe<InjectedSlowdownTechnique>(technique)
{
    private long _start;
    private long _beforeWait;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (!mine)
        {
            return;
        }

        if (trainingEvent == TrainingEvent.BatchStart && point == ObservationPoint.AfterTechnique)
        {
            _start = Stopwatch.GetTimestamp();
        }
        else if (trainingEvent == TrainingEvent.BatchEnd && point == ObservationPoint.BeforeTechnique)
        {
            _beforeWait = Stopwatch.GetTimestamp();
        }
        else if (trainingEvent == TrainingEvent.BatchEnd && point == ObservationPoint.AfterTechnique)
        {
            long batch = _beforeWait - _start;
            long wait = Stopwatch.GetTimestamp() - _beforeWait;
            if (Expect(wait >= 0.9 * (Technique.Factor - 1) * batch, $"a batch of {batch} ticks was followed by a wait of {wait}, not {Technique.Factor - 1} times as long"))
            {
                Seen++;
            }
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen == 0 ? "no batch was slowed" : null;
}
