namespace Tuner.Techniques.Optimization.Cosine;

/// <summary>Cosine annealing without restarts (Loshchilov and Hutter, SGDR, ICLR 2017) over the budget fraction.</summary>
public static class CosineMath
{
    /// <summary>base * (min + (1 - min) * 0.5 * (1 + cos(pi * f))), with f clamped to [0, 1].</summary>
    public static double LearningRate(double baseRate, double fraction, double minFactor)
    {
        double f = Math.Clamp(fraction, 0.0, 1.0);
        return baseRate * (minFactor + ((1 - minFactor) * 0.5 * (1 + Math.Cos(Math.PI * f))));
    }
}
