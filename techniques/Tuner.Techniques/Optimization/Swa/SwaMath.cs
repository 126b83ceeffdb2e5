using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Swa;

/// <summary>Stochastic Weight Averaging (Izmailov et al., Averaging Weights Leads to Wider Optima and Better Generalization, UAI 2018).</summary>
public static class SwaMath
{
    /// <summary>In place, the running equal-weight mean: average += (weights - average) / (count + 1), where <paramref name="count"/> snapshots are already in it.</summary>
    public static void Update(Tensor average, Tensor weights, long count)
    {
        ArgumentNullException.ThrowIfNull(average);
        ArgumentNullException.ThrowIfNull(weights);
        using var scope = NewDisposeScope();
        average.add_(weights.sub(average), 1.0 / (count + 1));
    }

    /// <summary>Whether the step that just ended takes a snapshot: the budget fraction has reached <paramref name="start"/> and it is the 1st, (every+1)th, ... step since then.</summary>
    public static bool TakesSnapshot(double fraction, double start, long stepsSinceStart, int every) =>
        fraction >= start && stepsSinceStart % every == 0;
}
