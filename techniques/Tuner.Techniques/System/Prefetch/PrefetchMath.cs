namespace Tuner.Techniques.Systems.Prefetch;

/// <summary>The batch arithmetic of prefetching: which rows the engine will ask for next.</summary>
public static class PrefetchMath
{
    /// <summary>
    /// The row lists of the batches from offset <paramref name="first"/> to the end of <paramref name="order"/>, each
    /// <paramref name="batchSize"/> long but the last, as the engine cuts an epoch.
    /// </summary>
    public static IEnumerable<long[]> Batches(long[] order, long first, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        for (long start = first; start < order.LongLength; start += batchSize)
        {
            yield return order[(int)start..(int)Math.Min(start + batchSize, order.LongLength)];
        }
    }

    /// <summary>Whether a prepared batch holds exactly the rows the engine asked for, in the same order.</summary>
    public static bool SameRows(ReadOnlySpan<long> prepared, ReadOnlySpan<long> requested) => prepared.SequenceEqual(requested);
}
