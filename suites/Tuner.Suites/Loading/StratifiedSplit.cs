namespace Tuner.Suites.Loading;

/// <summary>A fixed, stratified train / held-out split of row indices. Depends only on the labels and the split seed.</summary>
public static class StratifiedSplit
{
    public static (int[] Train, int[] Test) Split(IReadOnlyList<int> labels, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (IGrouping<int, int> group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            int[] rows = [.. group];
            random.Shuffle(rows);
            int testCount = (int)Math.Round(rows.Length * testFraction, MidpointRounding.AwayFromZero);
            if (rows.Length > 1)
            {
                testCount = Math.Clamp(testCount, 1, rows.Length - 1);
            }

            test.AddRange(rows.Take(testCount));
            train.AddRange(rows.Skip(testCount));
        }

        train.Sort();
        test.Sort();
        return ([.. train], [.. test]);
    }

    /// <summary>
    /// Train / validation / test: <paramref name="testFraction"/> of each class is set aside as test, then
    /// <paramref name="validationFraction"/> of what is left of each class as validation (a second stratified split of
    /// the remaining rows with a seed derived from <paramref name="seed"/>). Row indices, sorted.
    /// </summary>
    public static (int[] Train, int[] Validation, int[] Test) ThreeWay(IReadOnlyList<int> labels, double testFraction, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        (int[] pool, int[] test) = Split(labels, testFraction, seed);
        (int[] train, int[] validation) = Split(pool, labels, validationFraction, seed);
        return (train, validation, test);
    }

    /// <summary>Splits the given <paramref name="rows"/> (indices into <paramref name="labels"/>) stratified; indices stay indices into labels.</summary>
    public static (int[] Train, int[] Held) Split(int[] rows, IReadOnlyList<int> labels, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        int[] poolLabels = [.. rows.Select(r => labels[r])];
        (int[] train, int[] held) = Split(poolLabels, fraction, unchecked((seed * 7919) + 1));
        return ([.. train.Select(i => rows[i])], [.. held.Select(i => rows[i])]);
    }
}
