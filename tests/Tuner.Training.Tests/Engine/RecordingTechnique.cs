using Tuner.Training.Engine;

namespace Tuner.Training.Tests.Engine;

/// <summary>A real technique for engine tests: runs a callback at chosen events and logs what it saw.</summary>
internal sealed class RecordingTechnique(string name, Func<TrainingEvent, TrainingState, bool> matches, Action<TrainingEvent, TrainingState>? apply = null) : ITechnique
{
    public List<string> Log { get; } = [];

    public string Name { get; } = name;

    public TechniqueCategory Category => TechniqueCategory.System;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => matches(trainingEvent, state);

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        Log.Add($"{trainingEvent}:{Name}");
        apply?.Invoke(trainingEvent, state);
    }
}
