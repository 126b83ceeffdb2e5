using Tuner.Techniques.Data.ProgressiveResizing;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Data.ProgressiveResizing;

public sealed class ProgressiveResizingMathTests
{
    public ProgressiveResizingMathTests() => TorchSharp.torch.set_num_threads(1);

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.4, 0.75)]
    [InlineData(0.8, 1.0)]
    [InlineData(0.95, 1.0)]
    [InlineData(-0.1, 0.5)]
    public void Scale_BudgetFraction_GrowsLinearlyToOneAtFullAt(double fraction, double expected)
    {
        Assert.Equal(expected, ProgressiveResizingMath.Scale(fraction, 0.5, 0.8), 12);
    }

    [Theory]
    [InlineData(28, 0.5, 16)] // 14 rounds half away from zero to 16
    [InlineData(28, 0.6875, 20)] // 19.25
    [InlineData(28, 0.9375, 28)] // 26.25 rounds up to the full side
    [InlineData(28, 1.0, 28)]
    [InlineData(30, 0.99, 28)] // not a multiple of 4 at full size: the schedule rounds, the full side stays
    [InlineData(30, 1.0, 30)]
    [InlineData(8, 0.1, 4)] // never below 4
    [InlineData(3, 0.5, 3)] // nor above the full side
    public void Side_Scale_IsRoundedToAMultipleOfFourWithinBounds(long full, double scale, long expected)
    {
        Assert.Equal(expected, ProgressiveResizingMath.Side(full, scale));
    }

    [Fact]
    public void Resize_HalfSize_AveragesEachTwoByTwoBlock()
    {
        using var scope = NewDisposeScope();
        Tensor images = arange(16, ScalarType.Float32).reshape(1, 1, 4, 4);

        Tensor resized = ProgressiveResizingMath.Resize(images, 2, 2);

        Assert.Equal([1L, 1, 2, 2], resized.shape);
        Assert.Equal([2.5f, 4.5f, 10.5f, 12.5f], DataTestSupport.Floats(resized));
    }
}
