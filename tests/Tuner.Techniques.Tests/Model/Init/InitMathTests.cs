using Tuner.Techniques.Model.Init;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Model.Init;

public sealed class InitMathTests
{
    [Theory]
    [InlineData(4, 2, 0.5)]
    [InlineData(3, 2, 0.57735026918962573)]
    [InlineData(16, 3, 0.5)]
    [InlineData(1, 2, 1.0)]
    public void FixupScale_IsLToTheMinusOneOver2mMinus2(int branches, int layers, double expected)
    {
        Assert.Equal(expected, InitMath.FixupScale(branches, layers), 12);
    }

    [Theory]
    [InlineData(new long[] { 3, 5 }, 1.0)]
    [InlineData(new long[] { 5, 3 }, 1.0)]
    [InlineData(new long[] { 16, 1, 3, 3 }, 1.0)]
    [InlineData(new long[] { 4, 8 }, 1.4142135623730951)]
    public void Orthogonal_AnyShape_IsGainScaledOrthogonal(long[] shape, double gain)
    {
        using Tensor w = randn(shape);
        Assert.True(InitMath.OrthogonalityError(w, gain) > 0.1, "a random matrix is not orthogonal: the check must see it");

        InitMath.Orthogonal(w, gain);

        Assert.True(InitMath.OrthogonalityError(w, gain) < 1e-5);
    }
}
