using Tuner.Core.Budgets;

namespace Tuner.Core.Tests.Budgets;

public sealed class BudgetClockTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Charged_NewClock_IsPausedAndChargesNothing()
    {
        var clock = new BudgetClock(_time);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(clock.IsRunning);
        Assert.Equal(TimeSpan.Zero, clock.Charged);
    }

    [Fact]
    public void Charged_WhileRunning_IncludesTheCurrentInterval()
    {
        var clock = new BudgetClock(_time);
        clock.Start();

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(clock.IsRunning);
        Assert.Equal(TimeSpan.FromSeconds(5), clock.Charged);
    }

    [Fact]
    public void Charged_PausedIntervals_AreNotCharged()
    {
        var clock = new BudgetClock(_time);
        clock.Start();
        _time.Advance(TimeSpan.FromSeconds(5));
        clock.Pause();
        _time.Advance(TimeSpan.FromSeconds(100)); // evaluation
        clock.Start();
        _time.Advance(TimeSpan.FromSeconds(2));
        clock.Pause();
        _time.Advance(TimeSpan.FromSeconds(50));

        Assert.False(clock.IsRunning);
        Assert.Equal(TimeSpan.FromSeconds(7), clock.Charged);
    }

    [Fact]
    public void Start_WhenAlreadyRunning_DoesNotRestartTheInterval()
    {
        var clock = new BudgetClock(_time);
        clock.Start();
        _time.Advance(TimeSpan.FromSeconds(3));
        clock.Start();
        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(TimeSpan.FromSeconds(7), clock.Charged);
    }

    [Fact]
    public void Pause_WhenAlreadyPaused_ChargesNothingMore()
    {
        var clock = new BudgetClock(_time);
        clock.Start();
        _time.Advance(TimeSpan.FromSeconds(3));
        clock.Pause();
        _time.Advance(TimeSpan.FromSeconds(4));
        clock.Pause();

        Assert.Equal(TimeSpan.FromSeconds(3), clock.Charged);
    }

    [Fact]
    public void Constructor_NullTimeProvider_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new BudgetClock(null!));
    }
}
