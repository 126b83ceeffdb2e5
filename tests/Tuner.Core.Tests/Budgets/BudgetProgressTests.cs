using Tuner.Core.Budgets;

namespace Tuner.Core.Tests.Budgets;

public sealed class BudgetProgressTests
{
    private static readonly BudgetProgress Midway = new(ChargedSeconds: 15, Steps: 50, Samples: 3000, Epochs: 0.5);

    [Fact]
    public void FractionOf_EachUnit_ReadsItsOwnCounter()
    {
        Assert.Equal(0.5, Midway.FractionOf(Budget.Seconds(30)), 12);
        Assert.Equal(0.25, Midway.FractionOf(Budget.Steps(200)), 12);
        Assert.Equal(0.05, Midway.FractionOf(Budget.Samples(60000)), 12);
        Assert.Equal(0.25, Midway.FractionOf(Budget.Epochs(2)), 12);
    }

    [Fact]
    public void FractionOf_Overspent_ClampsToOne()
    {
        var progress = new BudgetProgress(ChargedSeconds: 100, Steps: 300, Samples: 10, Epochs: 9);

        Assert.Equal(1.0, progress.FractionOf(Budget.Seconds(30)));
        Assert.Equal(1.0, progress.FractionOf(Budget.Steps(100)));
        Assert.Equal(1.0, progress.FractionOf(Budget.Epochs(2)));
        Assert.Equal(0.001, progress.FractionOf(Budget.Samples(10000)), 12);
    }

    [Fact]
    public void FractionOf_NegativeCounter_ClampsToZero()
    {
        var progress = new BudgetProgress(ChargedSeconds: -1, Steps: -5, Samples: 0, Epochs: 0);

        Assert.Equal(0.0, progress.FractionOf(Budget.Seconds(30)));
        Assert.Equal(0.0, progress.FractionOf(Budget.Steps(10)));
    }

    [Fact]
    public void IsExhausted_AtAndPastTheBudget_TrueAndBeforeItFalse()
    {
        Assert.False(new BudgetProgress(0, 99, 0, 0).IsExhausted(Budget.Steps(100)));
        Assert.True(new BudgetProgress(0, 100, 0, 0).IsExhausted(Budget.Steps(100)));
        Assert.True(new BudgetProgress(0, 101, 0, 0).IsExhausted(Budget.Steps(100)));
        Assert.False(new BudgetProgress(29.999, 1000, 1000, 1000).IsExhausted(Budget.Seconds(30)));
        Assert.True(new BudgetProgress(30, 0, 0, 0).IsExhausted(Budget.Seconds(30)));
    }

    [Fact]
    public void Default_IsNothingSpent()
    {
        BudgetProgress none = default;

        Assert.Equal(0.0, none.FractionOf(Budget.Samples(1)));
        Assert.False(none.IsExhausted(Budget.Epochs(1)));
    }
}
