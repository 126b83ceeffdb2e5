using Tuner.Core.Budgets;
using Tuner.Core.Errors;

namespace Tuner.Core.Tests.Budgets;

public sealed class BudgetTests
{
    [Theory]
    [InlineData("30s", 30.0, BudgetUnit.WallClock)]
    [InlineData("1.5m", 90.0, BudgetUnit.WallClock)]
    [InlineData("2h", 7200.0, BudgetUnit.WallClock)]
    [InlineData("500ms", 0.5, BudgetUnit.WallClock)]
    [InlineData("500steps", 500.0, BudgetUnit.Steps)]
    [InlineData("2epochs", 2.0, BudgetUnit.Epochs)]
    [InlineData("60000samples", 60000.0, BudgetUnit.Samples)]
    [InlineData("  45 SECONDS ", 45.0, BudgetUnit.WallClock)]
    [InlineData("3 Min", 180.0, BudgetUnit.WallClock)]
    [InlineData("0.5H", 1800.0, BudgetUnit.WallClock)]
    [InlineData("10 Steps", 10.0, BudgetUnit.Steps)]
    [InlineData("7ba", 7.0, BudgetUnit.Steps)]
    [InlineData("1 EPOCH", 1.0, BudgetUnit.Epochs)]
    [InlineData("2.0steps", 2.0, BudgetUnit.Steps)]
    [InlineData("1e3samples", 1000.0, BudgetUnit.Samples)]
    [InlineData("+5s", 5.0, BudgetUnit.WallClock)]
    public void Parse_ValidText_GivesAmountInCanonicalUnit(string text, double amount, BudgetUnit unit)
    {
        Budget budget = Budget.Parse(text);

        Assert.Equal(unit, budget.Unit);
        Assert.Equal(amount, budget.Amount, 9);
    }

    [Theory]
    [InlineData("30s", "30s")]
    [InlineData("1.5m", "90s")]
    [InlineData("2h", "7200s")]
    [InlineData("500ms", "0.5s")]
    [InlineData("500 STEPS", "500steps")]
    [InlineData("2ep", "2epochs")]
    [InlineData("60000sp", "60000samples")]
    public void ToString_ParsedBudget_IsCanonicalAndParsesBackToTheSameBudget(string text, string canonical)
    {
        Budget budget = Budget.Parse(text);

        Assert.Equal(canonical, budget.ToString());
        Assert.Equal(budget, Budget.Parse(budget.ToString()));
    }

    [Fact]
    public void ToString_WallClockWithMoreThanThreeDecimals_ParsesBackToTheSameBudget()
    {
        Budget tiny = Budget.Seconds(0.0014);
        Budget precise = Budget.Seconds(1.2345);

        Assert.Equal(tiny, Budget.Parse(tiny.ToString()));
        Assert.Equal(precise, Budget.Parse(precise.ToString()));
    }

    [Theory]
    [InlineData("10q", "unknown budget unit 'q'")]
    [InlineData("-5s", "must be greater than zero")]
    [InlineData("0s", "must be greater than zero")]
    [InlineData("abc", "malformed budget")]
    [InlineData("1.5steps", "whole number of steps")]
    [InlineData("2.5epochs", "whole number of epochs")]
    [InlineData("1e400s", "malformed budget")]
    [InlineData("10", "malformed budget")]
    [InlineData("s", "malformed budget")]
    public void Parse_InvalidText_ThrowsOneLineErrorNamingTheInput(string text, string problem)
    {
        var ex = Assert.Throws<TunerInputException>(() => Budget.Parse(text));

        OneLineAssert.Message(ex, $"'{text}'", problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_EmptyText_ThrowsOneLineErrorWithExamples(string text)
    {
        var ex = Assert.Throws<TunerInputException>(() => Budget.Parse(text));

        OneLineAssert.Message(ex, "empty budget", "30s", "500steps");
    }

    [Fact]
    public void TryParse_Invalid_ReturnsFalseWithErrorAndDefaultBudget()
    {
        bool ok = Budget.TryParse("10q", out Budget budget, out string? error);

        Assert.False(ok);
        Assert.Equal(default, budget);
        Assert.NotNull(error);
        Assert.Contains("10q", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Valid_ReturnsTrueWithoutError()
    {
        bool ok = Budget.TryParse("2m", out Budget budget, out string? error);

        Assert.True(ok);
        Assert.Null(error);
        Assert.Equal(Budget.Seconds(120), budget);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_NonPositiveOrNonFiniteAmount_Throws(double amount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Budget(amount, BudgetUnit.WallClock));
    }

    [Theory]
    [InlineData(BudgetUnit.Steps)]
    [InlineData(BudgetUnit.Samples)]
    [InlineData(BudgetUnit.Epochs)]
    public void Constructor_FractionalCount_Throws(BudgetUnit unit)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Budget(1.5, unit));
    }

    [Fact]
    public void Factories_GiveTheirUnits()
    {
        Assert.Equal(new Budget(3, BudgetUnit.WallClock), Budget.Seconds(3));
        Assert.Equal(new Budget(3, BudgetUnit.Steps), Budget.Steps(3));
        Assert.Equal(new Budget(3, BudgetUnit.Samples), Budget.Samples(3));
        Assert.Equal(new Budget(3, BudgetUnit.Epochs), Budget.Epochs(3));
        Assert.NotEqual(Budget.Steps(3), Budget.Epochs(3));
    }
}
