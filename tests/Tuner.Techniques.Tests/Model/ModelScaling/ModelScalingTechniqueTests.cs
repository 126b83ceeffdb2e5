using Tuner.Techniques.Model;
using Tuner.Techniques.Model.ModelScaling;
using Tuner.Training.Engine;
using static Tuner.Techniques.Tests.Model.ModelTestSupport;

namespace Tuner.Techniques.Tests.Model.ModelScaling;

public sealed class ModelScalingTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private sealed record Built(long[][] WeightShapes, int Blocks, long Parameters);

    private Built BuiltModel(string suite, params ITechnique[] techniques)
    {
        Built? built = null;
        var probe = new ProbeTechnique("probe", TrainingEvent.FitStart, (_, s) => built = new Built(
            [.. ModelLayers.Parametric(s.Model).Select(l => ModelLayers.Weight(l).shape)],
            ModelLayers.ResidualBlocks(s.Model).Count,
            s.Model.parameters().Sum(p => p.numel())));
        Run(suites, suite, 1, [.. techniques, probe]);
        return built!;
    }

    [Fact]
    public void Transform_ResidualMlp_BuildsTheScaledWidthAndDepthAndRecordsTheParameterCount()
    {
        var technique = new ModelScalingTechnique(new ModelScalingOptions { Width = 0.5, Depth = 2 });

        Built baseline = BuiltModel("digits-resmlp");
        Built scaled = BuiltModel("digits-resmlp", technique);

        Assert.Equal([64L, 64L], baseline.WeightShapes[0]); // stem 64 -> 64, 3 blocks
        Assert.Equal(3, baseline.Blocks);
        Assert.Equal([32L, 64L], scaled.WeightShapes[0]); // stem 64 -> 32
        Assert.Equal(6, scaled.Blocks);
        Assert.All(scaled.WeightShapes.Skip(1).Take(12), s => Assert.Equal([32L, 32L], s));
        Assert.Equal([10L, 32L], scaled.WeightShapes[^1]);
        Assert.Equal(scaled.Parameters, technique.ParameterCount);
        Assert.True(scaled.Parameters < baseline.Parameters);
    }

    [Fact]
    public void Transform_Cnn_BuildsHalfTheChannelsAndHiddenUnits()
    {
        Built scaled = BuiltModel("fashion-cnn", new ModelScalingTechnique(new ModelScalingOptions { Width = 0.5, Depth = 1 }));

        Assert.Equal([8L, 1L, 3L, 3L], scaled.WeightShapes[0]);
        Assert.Equal([16L, 8L, 3L, 3L], scaled.WeightShapes[1]);
        Assert.Equal(64, scaled.WeightShapes[2][0]);
        Assert.Equal([10L, 64L], scaled.WeightShapes[3]);
    }

    [Fact]
    public void Apply_FitStart_ShowsInTheTrace()
    {
        TrainingOutcome outcome = Run(suites, "digits-mlp", 1, new ModelScalingTechnique(new ModelScalingOptions { Width = 0.5, Depth = 1 }));

        Assert.Contains("FitStart:model_scaling x1", outcome.Trace);
    }
}
