namespace Tuner.Techniques.Model.StochasticDepth;

/// <summary>Stochastic depth's linear decay rule (Huang et al., Deep Networks with Stochastic Depth, ECCV 2016).</summary>
public static class StochasticDepthMath
{
    /// <summary>The survival probability of block <paramref name="block"/> (1-based) of <paramref name="blocks"/>: 1 - (l / L)(1 - p_L).</summary>
    public static double SurvivalProbability(int block, int blocks, double lastSurvival)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(block, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block, blocks);
        return 1 - ((double)block / blocks * (1 - lastSurvival));
    }

    /// <summary>The survival probabilities of blocks 1..L in order.</summary>
    public static IReadOnlyList<double> SurvivalProbabilities(int blocks, double lastSurvival) =>
        [.. Enumerable.Range(1, blocks).Select(l => SurvivalProbability(l, blocks, lastSurvival))];

    /// <summary>Whether a block with survival probability <paramref name="survival"/> is dropped, given a uniform draw in [0, 1).</summary>
    public static bool Drops(double uniform, double survival) => uniform >= survival;
}
