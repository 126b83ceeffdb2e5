using Tuner.Core.Configuration;
using Tuner.Core.Workloads;
using Tuner.Runner.Search;
using Tuner.Search.Space;

namespace Tuner.Runner.Tests.Search;

/// <summary>The default space over the real technique library: what applies to a suite's facts decides what is searched.</summary>
public sealed class DefaultSpaceTests
{
    private static readonly TrainingConfiguration Baseline = new() { Optimizer = "adamw", LearningRate = 1e-3, BatchSize = 32 };

    [Fact]
    public void For_ATransformerSuite_SearchesSequenceWarmupAndItsHorizon()
    {
        SearchSpace space = DefaultSpace.For(Baseline, RegistryTechniqueCatalog.Instance, WorkloadFacts.TokenSequences, "bible-lm");

        Assert.Equal(["precision", "label_smoothing", "seq_warmup", "cosine", "lookahead", "ema"], space.Techniques.Select(t => t.Name));
        Assert.Contains(space.Parameters, p => p.Name == "horizon");
    }

    [Fact]
    public void For_AnImageSuite_LeavesOutWhatNeedsTokenSequences()
    {
        SearchSpace space = DefaultSpace.For(Baseline, RegistryTechniqueCatalog.Instance, WorkloadFacts.RealInputs, "fashion-mlp");

        Assert.DoesNotContain(space.Techniques, t => t.Name == "seq_warmup");
        Assert.Contains(space.Techniques, t => t.Name == "label_smoothing");
    }
}
