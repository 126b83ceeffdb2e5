namespace Tuner.Data;

/// <summary>
/// A classification table: <paramref name="Rows"/> rows of <paramref name="FeatureCount"/> features
/// (<paramref name="Features"/>, row-major) and one label per row in 0..<see cref="ClassCount"/>-1, where label
/// <c>k</c> is called <c>ClassNames[k]</c>.
/// </summary>
public sealed record NumericTable(float[] Features, int[] Labels, int Rows, int FeatureCount, IReadOnlyList<string> ClassNames)
{
    public int ClassCount => ClassNames.Count;

    /// <summary>The features of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        return Features.AsSpan(row * FeatureCount, FeatureCount);
    }
}
