using Tuner.Techniques.Model.ChannelsLast;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Model.ChannelsLast;

public sealed class ChannelsLastMathTests
{
    [Fact]
    public void Strides_NCHW_AreChannelFastest()
    {
        Assert.Equal([4L * 5 * 3, 1, 5 * 3, 3], ChannelsLastMath.Strides([2, 3, 4, 5]));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void ToChannelsLast_KeepsShapeAndValuesAndHasChannelsLastStrides(int channels)
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(2, channels, 4, 5);

        Tensor y = ChannelsLastMath.ToChannelsLast(x);

        Assert.Equal(x.shape, y.shape);
        Assert.True(y.eq(x).all().item<bool>());
        Assert.Equal(ChannelsLastMath.Strides(x.shape), y.stride());
        Assert.False(ChannelsLastMath.IsChannelsLast(x)); // a contiguous NCHW tensor, even with one channel
        Assert.True(ChannelsLastMath.IsChannelsLast(y));
    }

    [Fact]
    public void IsChannelsLast_NotFourDimensional_IsFalse()
    {
        using Tensor x = randn(3, 4);
        Assert.False(ChannelsLastMath.IsChannelsLast(x));
    }
}
