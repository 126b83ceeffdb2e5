using Tuner.Training.Models;
using static TorchSharp.torch;

namespace Tuner.Suites.Tests.Models;

public sealed class ModelFactoryTests
{
    public ModelFactoryTests() => TorchSharp.torch.set_num_threads(1);

    private static long ParameterCount(nn.Module<Tensor, Tensor> model) => model.parameters().Sum(p => p.numel());

    [Fact]
    public void Create_MlpOnImages_FlattensAndOutputsOneLogitPerClass()
    {
        using var scope = NewDisposeScope();
        using nn.Module<Tensor, Tensor> model = ModelFactory.Create(new ModelSpec("mlp", [64], []), [1, 8, 8], 10);

        Tensor output = model.call(randn(5, 1, 8, 8));

        Assert.Equal([5L, 10], output.shape);
        Assert.Equal((64 * 64) + 64 + (64 * 10) + 10, ParameterCount(model));
    }

    [Fact]
    public void Create_MlpWithTwoHiddenLayers_HasBothLayers()
    {
        using var scope = NewDisposeScope();
        using nn.Module<Tensor, Tensor> model = ModelFactory.Create(new ModelSpec("mlp", [32, 16], []), [13], 3);

        Tensor output = model.call(randn(4, 13));

        Assert.Equal([4L, 3], output.shape);
        Assert.Equal((13 * 32) + 32 + (32 * 16) + 16 + (16 * 3) + 3, ParameterCount(model));
    }

    [Fact]
    public void Create_CnnOnFashionShape_OutputsOneLogitPerClassWithTheDocumentedLayers()
    {
        using var scope = NewDisposeScope();
        using nn.Module<Tensor, Tensor> model = ModelFactory.Create(new ModelSpec("cnn", [128], [16, 32]), [1, 28, 28], 10);

        Tensor output = model.call(randn(3, 1, 28, 28));

        Assert.Equal([3L, 10], output.shape);
        long conv = ((1 * 16 * 9) + 16) + ((16 * 32 * 9) + 32);
        long dense = ((32 * 7 * 7 * 128) + 128) + ((128 * 10) + 10);
        Assert.Equal(conv + dense, ParameterCount(model));
    }

    [Fact]
    public void Create_CnnOnOddSizedColourImages_PoolsDownAndOutputsClasses()
    {
        using var scope = NewDisposeScope();
        using nn.Module<Tensor, Tensor> model = ModelFactory.Create(new ModelSpec("cnn", [20], [4, 8]), [3, 9, 9], 7);

        Assert.Equal([2L, 7], model.call(randn(2, 3, 9, 9)).shape);
    }

    [Fact]
    public void Create_CnnOnFlatInput_ThrowsNamingTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelFactory.Create(new ModelSpec("cnn", [128], [16]), [64], 10));

        Assert.Contains("[64]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownKind_Throws()
    {
        Assert.Throws<ArgumentException>(() => ModelFactory.Create(new ModelSpec("rnn", [8], []), [4], 2));
    }

    [Fact]
    public void Create_CnnWithMorePoolsThanTheImageAllows_ThrowsNamingTheShape()
    {
        // 8x8 digits through four 2x2 pools: 8 -> 4 -> 2 -> 1 -> 0.
        var ex = Assert.Throws<ArgumentException>(() => ModelFactory.Create(new ModelSpec("cnn", [32], [8, 8, 8, 8]), [1, 8, 8], 10));

        Assert.Contains("[1, 8, 8]", ex.Message, StringComparison.Ordinal);
    }
}
