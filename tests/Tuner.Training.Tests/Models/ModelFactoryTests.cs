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
}
