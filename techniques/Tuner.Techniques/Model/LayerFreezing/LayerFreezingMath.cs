namespace Tuner.Techniques.Model.LayerFreezing;

/// <summary>FreezeOut's schedule (Brock et al., 2017): when each layer stops training.</summary>
public static class LayerFreezingMath
{
    /// <summary>
    /// The budget fraction at which layer <paramref name="index"/> (0-based, forward order) of <paramref name="count"/>
    /// freezable layers stops training: t0 + (1 - t0) * index / count, cubed for the cubic variant. The head, which would be
    /// layer <paramref name="count"/>, gets 1: it trains to the end.
    /// </summary>
    public static double FreezeFraction(int index, int count, double t0, bool cubic)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, count);
        double linear = t0 + ((1 - t0) * index / count);
        return cubic ? linear * linear * linear : linear;
    }

    /// <summary>The freeze fractions of layers 0..count-1 (non-decreasing).</summary>
    public static IReadOnlyList<double> FreezeFractions(int count, double t0, bool cubic) =>
        [.. Enumerable.Range(0, count).Select(i => FreezeFraction(i, count, t0, cubic))];

    /// <summary>How many of the first layers are frozen at <paramref name="budgetFraction"/>.</summary>
    public static int FrozenCount(IReadOnlyList<double> freezeFractions, double budgetFraction)
    {
        ArgumentNullException.ThrowIfNull(freezeFractions);
        return freezeFractions.Count(t => t <= budgetFraction);
    }
}
