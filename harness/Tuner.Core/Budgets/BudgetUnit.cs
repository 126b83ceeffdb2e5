namespace Tuner.Core.Budgets;

/// <summary>What a <see cref="Budget"/> counts.</summary>
public enum BudgetUnit
{
    /// <summary>Charged training seconds (evaluation excluded, as in AlgoPerf).</summary>
    WallClock,

    /// <summary>Optimizer steps (batches).</summary>
    Steps,

    /// <summary>Training samples seen.</summary>
    Samples,

    /// <summary>Passes over the training split.</summary>
    Epochs,
}
