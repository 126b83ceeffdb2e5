using Tuner.Techniques.Systems.Prefetch;

namespace Tuner.Techniques.Tests.Systems.Prefetch;

public sealed class PrefetchMathTests
{
    [Fact]
    public void Batches_FromAnOffset_CutsLikeTheEngineWithAShorterLastBatch()
    {
        long[] order = [9, 8, 7, 6, 5, 4, 3];

        long[][] batches = [.. PrefetchMath.Batches(order, 2, 2)];

        Assert.Equal([[7L, 6L], [5L, 4L], [3L]], batches);
    }

    [Fact]
    public void SameRows_DifferentOrderOrLength_IsFalse()
    {
        Assert.True(PrefetchMath.SameRows([1, 2, 3], [1, 2, 3]));
        Assert.False(PrefetchMath.SameRows([1, 2, 3], [1, 3, 2]));
        Assert.False(PrefetchMath.SameRows([1, 2, 3], [1, 2]));
    }
}
