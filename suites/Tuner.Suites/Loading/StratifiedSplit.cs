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
}
