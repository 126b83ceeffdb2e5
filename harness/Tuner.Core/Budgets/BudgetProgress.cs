namespace Tuner.Core.Budgets;

/// <summary>How much of a run has been spent, in every unit at once. Immutable snapshot.</summary>
public readonly record struct BudgetProgress(double ChargedSeconds, long Steps, long Samples, double Epochs)
{
    /// <summary>Elapsed fraction of <paramref name="budget"/> in its own unit, clamped to [0, 1].</summary>
    public double FractionOf(Budget budget)
    {
        double spent = budget.Unit switch
        {
            BudgetUnit.WallClock => ChargedSeconds,
            BudgetUnit.Steps => Steps,
            BudgetUnit.Samples => Samples,
            BudgetUnit.Epochs => Epochs,
            _ => throw new InvalidOperationException($"Unknown unit {budget.Unit}"),
        };
        return Math.Clamp(spent / budget.Amount, 0.0, 1.0);
    }

    public bool IsExhausted(Budget budget) => FractionOf(budget) >= 1.0;
}
