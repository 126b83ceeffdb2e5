using Tuner.Techniques.Model.ModelScaling;
using Tuner.Training.Models;

namespace Tuner.Techniques.Tests.Model.ModelScaling;

public sealed class ModelScalingMathTests
{
    [Theory]
    [InlineData(64, 0.5, 32)]
    [InlineData(3, 0.5, 2)] // 1.5 rounds half away from zero
    [InlineData(10, 0.01, 1)] // never below one unit
    [InlineData(16, 1.5, 24)]
    public void ScaleWidth_RoundsAndKeepsAtLeastOneUnit(int width, double multiplier, int expected)
    {
        Assert.Equal(expected, ModelScalingMath.ScaleWidth(width, multiplier));
    }

    [Fact]
    public void ScaleLayers_Grows_ByRepeatingTheLastWidth_AndShrinks_ByKeepingTheFirst()
    {
        Assert.Equal([64, 32, 32, 32], ModelScalingMath.ScaleLayers([64, 32], 2));
        Assert.Equal([64], ModelScalingMath.ScaleLayers([64, 32, 16], 0.4));
        Assert.Equal([64], ModelScalingMath.ScaleLayers([64], 0.1));
        Assert.Empty(ModelScalingMath.ScaleLayers([], 3));
    }

    [Fact]
    public void Transform_Mlp_ScalesWidthsAndHiddenLayerCount()
    {
        ModelSpec scaled = ModelScalingMath.Transform(new ModelSpec("mlp", [64], []), 0.5, 2);

        Assert.Equal([32, 32], scaled.Hidden);
    }

    [Fact]
    public void Transform_ResidualMlp_ScalesWidthAndBlockCount()
    {
        ModelSpec scaled = ModelScalingMath.Transform(new ModelSpec("resmlp", [64], []) { Blocks = 3 }, 0.25, 0.5);

        Assert.Equal([16], scaled.Hidden);
        Assert.Equal(2, scaled.Blocks); // 1.5 rounds to 2
    }

    [Fact]
    public void Transform_Cnn_ScalesChannelsAndFullyConnectedLayersButKeepsTheConvolutionBlocks()
    {
        ModelSpec scaled = ModelScalingMath.Transform(new ModelSpec("cnn", [128], [16, 32]), 0.5, 2);

        Assert.Equal([8, 16], scaled.Channels);
        Assert.Equal([64, 64], scaled.Hidden);
        Assert.Equal("cnn", scaled.Kind);
    }
}
