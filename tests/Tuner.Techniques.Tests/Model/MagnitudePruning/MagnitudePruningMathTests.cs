using Tuner.Techniques.Model.MagnitudePruning;
using static TorchSharp.torch;
using static Tuner.Techniques.Tests.Model.ModelTestSupport;

namespace Tuner.Techniques.Tests.Model.MagnitudePruning;

public sealed class MagnitudePruningMathTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.05, 0.0)]
    [InlineData(0.1, 0.0)]
    [InlineData(0.4, 0.5 * (1 - 0.125))] // halfway: final * (1 - (1/2)^3)
    [InlineData(0.55, 0.5 * (1 - 0.015625))] // three quarters: final * (1 - (1/4)^3)
    [InlineData(0.7, 0.5)]
    [InlineData(1.0, 0.5)]
    public void Sparsity_CubicSchedule_RisesFromZeroAtStartToFinalAtEnd(double fraction, double expected)
    {
        Assert.Equal(expected, MagnitudePruningMath.Sparsity(fraction, 0.5, 0.1, 0.7), 12);
    }

    [Fact]
    public void Sparsity_StartEqualsEnd_JumpsToFinal()
    {
        Assert.Equal(0.0, MagnitudePruningMath.Sparsity(0.49, 0.8, 0.5, 0.5));
        Assert.Equal(0.8, MagnitudePruningMath.Sparsity(0.5, 0.8, 0.5, 0.5));
    }

    [Theory]
    [InlineData(10, 0.25, 3)] // 2.5 rounds half away from zero
    [InlineData(4096, 0.5, 2048)]
    [InlineData(7, 0.0, 0)]
    public void PrunedCount_IsRoundedSparsityTimesCount(long count, double sparsity, long expected)
    {
        Assert.Equal(expected, MagnitudePruningMath.PrunedCount(count, sparsity));
    }

    [Fact]
    public void Mask_ZeroesExactlyTheSmallestMagnitudes()
    {
        using var scope = NewDisposeScope();
        Tensor weight = tensor(new float[] { 0.5f, -0.1f, 3f, -2f, 0.05f, 1f, -0.7f, 0.2f }).reshape(2, 4);

        float[] mask = Floats(MagnitudePruningMath.Mask(weight, 0.5));

        Assert.Equal([0f, 0f, 1f, 1f, 0f, 1f, 1f, 0f], mask); // 0.5, -0.1, 0.05 and 0.2 are the 4 smallest magnitudes
    }

    [Fact]
    public void Mask_RandomWeights_PrunedMagnitudesAreAllBelowTheKeptOnes()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        Tensor weight = randn(32, 3, 3, 3);

        float[] mask = Floats(MagnitudePruningMath.Mask(weight, 0.3));
        float[] magnitudes = Floats(weight.abs());

        Assert.Equal(MagnitudePruningMath.PrunedCount(weight.numel(), 0.3), mask.Count(m => m == 0));
        float largestPruned = magnitudes.Where((_, i) => mask[i] == 0).Max();
        float smallestKept = magnitudes.Where((_, i) => mask[i] == 1).Min();
        Assert.True(largestPruned <= smallestKept);
    }
}
