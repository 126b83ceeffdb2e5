using TorchSharp.Modules;
using Tuner.Techniques.Model;
using Tuner.Training.Models;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Model;

public sealed class ModelLayersTests
{
    [Fact]
    public void Parametric_ResidualMlp_ListsStemBlockLayersAndHeadInForwardOrder()
    {
        using nn.Module<Tensor, Tensor> model = ModelFactory.Create(new ModelSpec("resmlp", [16], []) { Blocks = 2 }, [1, 8, 8], 10);
        IReadOnlyList<ResidualBlock> blocks = ModelLayers.ResidualBlocks(model);

        IReadOnlyList<nn.Module<Tensor, Tensor>> layers = ModelLayers.Parametric(model);

        Assert.Equal(2, blocks.Count);
        Assert.Equal(6, layers.Count);
        Assert.Equal([16L, 64L], ((Linear)layers[0]).weight.shape); // stem: 64 inputs -> 16
        Assert.Same(blocks[0].First, layers[1]);
        Assert.Same(blocks[0].Second, layers[2]);
        Assert.Same(blocks[1].First, layers[3]);
        Assert.Same(blocks[1].Second, layers[4]);
        Assert.Equal(10, ((Linear)layers[5]).weight.shape[0]); // head
        Assert.Equal(model.parameters().Count(), layers.SelectMany(ModelLayers.Parameters).Count());
    }

    [Fact]
    public void Parametric_Cnn_ListsConvolutionsThenFullyConnectedLayers()
    {
        using nn.Module<Tensor, Tensor> model = ModelFactory.Create(new ModelSpec("cnn", [32], [4, 8]), [1, 28, 28], 10);

        IReadOnlyList<nn.Module<Tensor, Tensor>> layers = ModelLayers.Parametric(model);

        Assert.Equal(4, layers.Count);
        Assert.Equal(4, ((Conv2d)layers[0]).out_channels);
        Assert.Equal(8, ((Conv2d)layers[1]).out_channels);
        Assert.Equal(32, ((Linear)layers[2]).out_features);
        Assert.Equal(10, ((Linear)layers[3]).out_features);
        Assert.Empty(ModelLayers.ResidualBlocks(model));
    }
}
