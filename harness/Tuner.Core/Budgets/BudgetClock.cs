namespace Tuner.Core.Budgets;

/// <summary>
/// Charged training time on a <see cref="TimeProvider"/>. Starts paused; evaluation pauses it so that only training
/// is charged (AlgoPerf's rule). Not thread-safe: one trainer owns one clock.
/// </summary>
public sealed class BudgetClock
{
    private readonly TimeProvider _time;
    private long _runningSince;
    private TimeSpan _charged;

    public BudgetClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    public bool IsRunning { get; private set; }

    /// <summary>Charged time so far, including the current running interval.</summary>
    public TimeSpan Charged => IsRunning ? _charged + _time.GetElapsedTime(_runningSince) : _charged;

    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        _runningSince = _time.GetTimestamp();
        IsRunning = true;
    }

    public void Pause()
    {
        if (!IsRunning)
        {
            return;
        }

        _charged += _time.GetElapsedTime(_runningSince);
        IsRunning = false;
    }
}
