namespace Tuner.Techniques.Budget.Rex;

/// <summary>REX (Chen, Wolfe and Kyrillidis, REX: Revisiting Budgeted Training with an Improved Schedule, MLSys 2022).</summary>
public static class RexMath
{
    /// <summary>base * (1 - f) / (0.5 + 0.5 * (1 - f)), f clamped to [0, 1]: 1 at the start, 2/3 at half, 0 at the end.</summary>
    public static double LearningRate(double baseRate, double fraction)
    {
        double remaining = 1 - Math.Clamp(fraction, 0.0, 1.0);
        return baseRate * remaining / (0.5 + (0.5 * remaining));
    }
}
