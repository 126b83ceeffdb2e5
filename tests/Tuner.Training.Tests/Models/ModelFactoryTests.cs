using Tuner.Training.Models;

namespace Tuner.Training.Tests.Models;

public sealed class ModelFactoryTests
{
    public static TheoryData<string, int[], int[], long[]> Specs() => new()
    {
        { "mlp", [64, 32], [], [1, 8, 8] },
        { "resmlp", [48], [], [64] },
        { "cnn", [128], [16, 32], [1, 28, 28] },
        { "cnn", [32], [4, 8], [1, 8, 8] },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void ParameterShapes_WithoutBuilding_AreTheShapesCreateBuilds(string kind, int[] hidden, int[] channels, long[] sample)
    {
        var spec = new ModelSpec(kind, hidden, channels) { Blocks = 3 };

        using var model = ModelFactory.Create(spec, sample, 10);

        Assert.Equal(model.parameters().Select(p => string.Join("x", p.shape)), ModelFactory.ParameterShapes(spec, sample, 10).Select(s => string.Join("x", s)));
    }

    [Fact]
    public void TrainingFlopsPerSample_CountsEveryProductForwardAndBackwardButTheFirstLayersInputGradient()
    {
        var cnn = new ModelSpec("cnn", [32], [8, 16]);

        double flops = ModelFactory.TrainingFlopsPerSample(cnn, [1, 28, 28], 10);

        // conv1 1->8 at 28x28 (first: 4 per use), conv2 8->16 at 14x14, pooled to 7x7: fc 784->32, head 32->10.
        double expected = (4.0 * 8 * 1 * 9 * 28 * 28) + (6.0 * 16 * 8 * 9 * 14 * 14) + (6.0 * 16 * 7 * 7 * 32) + (6.0 * 32 * 10);
        Assert.Equal(expected, flops);
        Assert.Equal((4.0 * 784 * 64) + (2 * 6.0 * 64 * 64 * 2) + (6.0 * 64 * 10), ModelFactory.TrainingFlopsPerSample(new ModelSpec("resmlp", [64], []) { Blocks = 2 }, [1, 28, 28], 10));
    }

    [Fact]
    public void MachinePeak_MeasuresFp32AndBf16OncePerThreadCount()
    {
        TorchSharp.torch.set_num_threads(1);

        Tuner.Training.Runtime.PeakFlops first = Tuner.Training.Runtime.MachinePeak.Get();
        Tuner.Training.Runtime.PeakFlops again = Tuner.Training.Runtime.MachinePeak.Get();

        Assert.Same(first, again);
        Assert.Equal(1, first.Threads);
        Assert.InRange(first.Fp32, 1e9, 1e13); // any CPU core: above a GFLOP/s, below ten TFLOP/s
        Assert.True(first.Bf16 > 0);
    }
}
