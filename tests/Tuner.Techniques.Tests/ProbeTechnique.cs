using Tuner.Training.Engine;

namespace Tuner.Techniques.Tests;

/// <summary>A real technique placed around the one under test: runs a callback at chosen events to observe the training state.</summary>
internal sealed class ProbeTechnique(string name, Func<TrainingEvent, TrainingState, bool> matches, Action<TrainingEvent, TrainingState> apply) : ITechnique
{
    public ProbeTechnique(string name, TrainingEvent trainingEvent, Action<TrainingEvent, TrainingState> apply)
        : this(name, (e, _) => e == trainingEvent, apply)
    {
    }

    public string Name { get; } = name;

    public TechniqueCategory Category => TechniqueCategory.System;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => matches(trainingEvent, state);

    public void Apply(TrainingEvent trainingEvent, TrainingState state) => apply(trainingEvent, state);
}
