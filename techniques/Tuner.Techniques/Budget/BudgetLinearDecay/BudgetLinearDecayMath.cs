namespace Tuner.Techniques.Budget.BudgetLinearDecay;

/// <summary>Budget-aware linear decay (Li, Yumer and Ramanan, "Budgeted Training", ICLR 2020).</summary>
public static class BudgetLinearDecayMath
{
    /// <summary>Learning rate at elapsed budget fraction <paramref name="fraction"/>: base * (1 - fraction), floored at base * minFactor.</summary>
    public static double LearningRate(double baseRate, double fraction, double minFactor) =>
        baseRate * Math.Max(minFactor, 1.0 - Math.Clamp(fraction, 0.0, 1.0));
}
