namespace Tuner.Training.Engine;

/// <summary>Where in an event an observer is called.</summary>
public enum ObservationPoint
{
    /// <summary>The event begins: no technique has acted at it yet.</summary>
    EventStart,

    /// <summary>Just before one technique acts at the event.</summary>
    BeforeTechnique,

    /// <summary>Just after one technique acted at the event.</summary>
    AfterTechnique,

    /// <summary>Every technique has acted at the event.</summary>
    EventEnd,
}

/// <summary>
/// Watches a run without taking part in it: called at every event (including events no technique matches) at its start
/// and end and around each technique that acts. What the mechanism probes use to see that a technique did what its paper
/// says (<c>TechniqueDescriptor.Probe</c>); an observer must not change the state.
/// </summary>
public interface ITrainingObserver
{
    void Observe(TrainingEvent trainingEvent, ObservationPoint point, ITechnique? technique, TrainingState state);
}
