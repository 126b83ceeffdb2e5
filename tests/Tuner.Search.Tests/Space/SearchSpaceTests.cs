using Tuner.Core.Configuration;
using Tuner.Search.Space;

namespace Tuner.Search.Tests.Space;

public sealed class SearchSpaceTests
{
    private static readonly TrainingConfiguration Baseline = new() { LearningRate = 0.05, BatchSize = 128 };

    private static SearchSpace Space(int? max = null) => new(
        Baseline,
        [new RangeParameter("lr", 0.01, 1, log: true), new ChoiceParameter("batch_size", ["64", "128", "256"])],
        [
            new TechniqueDimension("mixup", options: [new RangeParameter("alpha", 0.1, 1)]),
            new TechniqueDimension("cutmix"),
            new TechniqueDimension("ema", options: [new ChoiceParameter("decay", ["0.99", "0.999"])]),
        ],
        [("mixup", "cutmix")],
        max);

    [Fact]
    public void Decode_ConflictingTogglesOn_KeepsTheFirstAndSwitchesTheOtherOff()
    {
        Candidate c = Space().Decode([0.5, 0.5, 0.9, 0.5, 0.9, 0.1, 0.5]);

        Assert.Equal(["mixup"], c.TechniqueNames);
        Assert.Equal(0.25, c.Unit[4]); // cutmix's toggle canonicalised to off
    }

    [Fact]
    public void Decode_IsCanonical_EqualConfigurationsGetEqualVectors()
    {
        SearchSpace space = Space();
        Candidate a = space.Decode([0.5, 0.40, 0.1, 0.3, 0.2, 0.6, 0.7]);
        Candidate b = space.Decode([0.5, 0.45, 0.2, 0.9, 0.4, 0.8, 0.9]);

        Assert.Equal(a.Key, b.Key);
        Assert.Equal(a.Unit, b.Unit);
        Assert.Equal(a.Unit, space.Decode(a.Unit).Unit);
    }

    [Fact]
    public void Decode_MapsRangesOnTheirScaleAndChoicesByBin()
    {
        SearchSpace space = Space();
        TrainingConfiguration low = space.Decode([0, 0, 0, 0, 0, 0, 0]).Configuration;
        TrainingConfiguration mid = space.Decode([0.5, 0.5, 0, 0, 0, 0, 0]).Configuration;
        TrainingConfiguration high = space.Decode([1, 1, 0, 0, 0, 0, 0]).Configuration;

        Assert.Equal((0.01, 64), (low.LearningRate, low.BatchSize));
        Assert.Equal((0.1, 128), (mid.LearningRate, mid.BatchSize)); // geometric middle of [0.01, 1]
        Assert.Equal((1.0, 256), (high.LearningRate, high.BatchSize));
    }

    [Fact]
    public void Sample_ManyDraws_NeverProduceAConflictOrExceedTheCap()
    {
        SearchSpace space = Space(max: 1);
        var random = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            Candidate c = space.Sample(random);
            Assert.False(c.TechniqueNames.Contains("mixup") && c.TechniqueNames.Contains("cutmix"));
            Assert.True(c.TechniqueNames.Count <= 1);
        }
    }

    [Fact]
    public void Grid_EnumeratesEveryFeasibleConfigurationOnce()
    {
        var grid = Space().Grid(pointsPerRange: 2).ToList();

        // lr 2 values x batch 3 x techniques: {none, mixup(2 alphas), cutmix} x {no ema, ema(2 decays)} = 2*3*4*3
        Assert.Equal(72, grid.Count);
        Assert.Equal(grid.Count, grid.Select(c => c.Key).Distinct().Count());
        Assert.DoesNotContain(grid, c => c.TechniqueNames.Contains("mixup") && c.TechniqueNames.Contains("cutmix"));
    }

    [Fact]
    public void Encode_OfADecodedConfiguration_ReturnsTheSameCandidate()
    {
        SearchSpace space = Space();
        Candidate c = space.Decode([0.3, 0.9, 0.8, 0.2, 0.1, 0.9, 0.9]);

        Candidate? again = space.Encode(c.Configuration);

        Assert.NotNull(again);
        Assert.Equal(c.Key, again.Key);
        Assert.Equal(c.Unit, again.Unit);
    }

    [Fact]
    public void Encode_OutsideTheSpace_ReturnsNull()
    {
        SearchSpace space = Space();

        Assert.Null(space.Encode(Baseline with { LearningRate = 5 }));
        Assert.Null(space.Encode(Baseline with { Techniques = [TechniqueSpec.Of("precision")] }));
    }

    [Fact]
    public void Constructor_AlwaysOnTechniquesThatConflict_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SearchSpace(
            Baseline, [], [new TechniqueDimension("mixup", optional: false), new TechniqueDimension("cutmix", optional: false)], [("mixup", "cutmix")]));

        Assert.Contains("conflict", ex.Message, StringComparison.Ordinal);
    }
}
