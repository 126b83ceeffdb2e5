namespace Tuner.Training.Runtime;

/// <summary>The machine's speed with a fresh <see cref="ReferenceWorkload"/>.</summary>
public static class MachineCalibration
{
    /// <summary>Median seconds per step over <paramref name="steps"/> timed steps after 5 warm-up steps (about 1.6 ms a step on the reference machine).</summary>
    public static double MeasureStepSeconds(int steps = 30)
    {
        using var workload = ReferenceWorkload.Standard();
        return workload.MedianStepSeconds(steps, warmUp: 5);
    }
}
