namespace Tuner.Techniques.Optimization.StepSchedule;

/// <summary>Step decay (He et al., Deep Residual Learning, CVPR 2016: divide by 10 at fixed points) over the budget fraction.</summary>
public static class StepScheduleMath
{
    /// <summary>base * gamma^(number of milestones reached: f &gt;= milestone).</summary>
    public static double LearningRate(double baseRate, double fraction, StepScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int drops = (fraction >= options.First ? 1 : 0) + (fraction >= options.Second ? 1 : 0);
        return baseRate * Math.Pow(options.Gamma, drops);
    }
}
