using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Systems.Threads;

/// <summary>Every training step runs with the technique's thread count; after its FitEnd the count it found is back.</summary>
internal sealed class ThreadsProbe(ITechnique technique) : TechniqueProbe<ThreadsTechnique>(technique)
{
    private int _found = -1;
    private bool _restored;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (mine && trainingEvent == TrainingEvent.FitStart && point == ObservationPoint.BeforeTechnique)
        {
            _found = get_num_threads();
        }
        else if (trainingEvent == TrainingEvent.BeforeOptimizerStep && point == ObservationPoint.EventStart)
        {
            if (Expect(get_num_threads() == Technique.Count, $"a step ran with {get_num_threads()} threads, not {Technique.Count}"))
            {
                Seen++;
            }
        }
        else if (mine && trainingEvent == TrainingEvent.FitEnd && point == ObservationPoint.AfterTechnique)
        {
            _restored = Expect(get_num_threads() == _found, $"after the run {get_num_threads()} threads are set, not the {_found} found");
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen == 0 ? "no step was taken" : !_restored ? "the thread count was not restored at FitEnd" : null;
}
