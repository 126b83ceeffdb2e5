using static TorchSharp.torch;

namespace Tuner.Techniques.Model.MagnitudePruning;

/// <summary>Gradual magnitude pruning (Zhu and Gupta, "To prune, or not to prune", 2017).</summary>
public static class MagnitudePruningMath
{
    /// <summary>
    /// The target sparsity at budget fraction <paramref name="fraction"/>: 0 before <paramref name="start"/>,
    /// final * (1 - (1 - (fraction - start) / (end - start))^3) between, <paramref name="final"/> from <paramref name="end"/> on.
    /// </summary>
    public static double Sparsity(double fraction, double final, double start, double end)
    {
        if (fraction < start)
        {
            return 0;
        }

        if (fraction >= end)
        {
            return final;
        }

        double remaining = 1 - ((fraction - start) / (end - start));
        return final * (1 - (remaining * remaining * remaining));
    }

    /// <summary>How many of <paramref name="count"/> weights a tensor at <paramref name="sparsity"/> has pruned: round(sparsity * count).</summary>
    public static long PrunedCount(long count, double sparsity) => (long)Math.Round(sparsity * count, MidpointRounding.AwayFromZero);

    /// <summary>
    /// A mask of <paramref name="weight"/>'s shape and dtype (contiguous): 0 at the <see cref="PrunedCount"/> smallest-magnitude
    /// weights, 1 elsewhere. A new tensor in the caller's dispose scope.
    /// </summary>
    public static Tensor Mask(Tensor weight, double sparsity)
    {
        ArgumentNullException.ThrowIfNull(weight);
        long pruned = PrunedCount(weight.numel(), sparsity);
        Tensor mask = ones(weight.shape, dtype: weight.dtype, device: weight.device);
        if (pruned > 0)
        {
            using var scope = NewDisposeScope();
            using (no_grad())
            {
                Tensor magnitudes = weight.detach().abs().flatten();
                (Tensor _, Tensor smallest) = magnitudes.topk((int)pruned, largest: false, sorted: false);
                mask.view(-1).index_fill_(0, smallest, 0);
            }
        }

        return mask;
    }
}
