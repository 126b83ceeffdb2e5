using Tuner.Techniques.Model.LayerFreezing;

namespace Tuner.Techniques.Tests.Model.LayerFreezing;

public sealed class LayerFreezingMathTests
{
    [Fact]
    public void FreezeFractions_Linear_SpreadFromT0TowardOne()
    {
        Assert.Equal([0.5, 0.625, 0.75, 0.875], LayerFreezingMath.FreezeFractions(4, 0.5, cubic: false));
    }

    [Fact]
    public void FreezeFractions_Cubic_AreTheLinearOnesCubed()
    {
        IReadOnlyList<double> cubic = LayerFreezingMath.FreezeFractions(4, 0.8, cubic: true);

        Assert.Equal([0.512, 0.85 * 0.85 * 0.85, 0.9 * 0.9 * 0.9, 0.95 * 0.95 * 0.95], cubic, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void FreezeFraction_TheHeadsIndex_IsOne()
    {
        Assert.Equal(1.0, LayerFreezingMath.FreezeFraction(7, 7, 0.3, cubic: false), 12);
    }

    [Theory]
    [InlineData(0.49, 0)]
    [InlineData(0.5, 1)]
    [InlineData(0.7, 2)]
    [InlineData(1.0, 4)]
    public void FrozenCount_CountsTheLayersWhoseFractionHasPassed(double fraction, int expected)
    {
        Assert.Equal(expected, LayerFreezingMath.FrozenCount(LayerFreezingMath.FreezeFractions(4, 0.5, cubic: false), fraction));
    }
}
