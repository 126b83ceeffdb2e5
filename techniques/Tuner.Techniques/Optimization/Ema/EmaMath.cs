using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Ema;

/// <summary>Exponential moving average of the weights (Polyak averaging; Tarvainen and Valpola, Mean teachers, NeurIPS 2017).</summary>
public static class EmaMath
{
    /// <summary>In place: average = decay * average + (1 - decay) * weights.</summary>
    public static void Update(Tensor average, Tensor weights, double decay)
    {
        ArgumentNullException.ThrowIfNull(average);
        ArgumentNullException.ThrowIfNull(weights);
        using var scope = NewDisposeScope();
        average.mul_(decay).add_(weights, 1 - decay);
    }

    /// <summary>
    /// The weight of w_t in the average after <paramref name="steps"/> updates started from w_0:
    /// decay^n for t = 0, (1 - decay) * decay^(n - t) for 1 &lt;= t &lt;= n (they sum to 1).
    /// </summary>
    public static double Coefficient(int t, int steps, double decay) =>
        t == 0 ? Math.Pow(decay, steps) : (1 - decay) * Math.Pow(decay, steps - t);
}
