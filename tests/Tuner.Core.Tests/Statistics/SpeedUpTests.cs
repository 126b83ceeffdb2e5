using Tuner.Core.Statistics;

namespace Tuner.Core.Tests.Statistics;

public sealed class SpeedUpTests
{
    [Fact]
    public void Estimate_ClearlyFasterGroups_IntervalExcludesOne()
    {
        SpeedUpEstimate e = SpeedUp.Estimate([10.0, 11.0, 12.0, 10.5, 11.5], [5.0, 5.5, 6.0, 5.2, 5.8]);

        Assert.Equal(11.0 / 5.5, e.Estimate, 10);
        Assert.True(e.IsFaster);
        Assert.False(e.IsSlower);
        Assert.InRange(e.Low, 1.6, 2.0);
        Assert.InRange(e.High, 2.0, 2.4);
    }

    [Fact]
    public void Estimate_OverlappingGroups_IntervalContainsOne()
    {
        SpeedUpEstimate e = SpeedUp.Estimate([10.0, 6.0, 12.0], [11.0, 5.0, 9.0]);

        Assert.True(e.Low <= 1.0 && e.High >= 1.0, $"[{e.Low}, {e.High}]");
        Assert.False(e.IsFaster);
        Assert.False(e.IsSlower);
    }

    [Fact]
    public void Estimate_TreatmentNeverReaches_IsZeroAndSlower()
    {
        double inf = double.PositiveInfinity;
        SpeedUpEstimate e = SpeedUp.Estimate([10.0, 11.0, 12.0], [inf, inf, inf]);

        Assert.Equal(0.0, e.Estimate);
        Assert.True(e.IsSlower);
    }

    [Fact]
    public void Estimate_SameSeedAndData_IsDeterministic()
    {
        double[] b = [3.0, 4.0, 5.0];
        double[] t = [2.0, 2.5, 6.0];

        Assert.Equal(SpeedUp.Estimate(b, t), SpeedUp.Estimate(b, t));
    }
}
