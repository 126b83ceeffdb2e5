using TorchSharp;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.SelectiveBackprop;

/// <summary>Pure functions of Selective Backprop (Jiang et al., "Accelerating Deep Learning by Focusing on the Biggest Losers", 2019).</summary>
public static class SelectiveBackpropMath
{
    /// <summary>Samples back-propagated from a batch of <paramref name="batch"/>: max(1, ceil(fraction * batch)), at most the batch.</summary>
    public static int SelectedCount(double fraction, long batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        return (int)Math.Min(batch, Math.Max(1, (long)Math.Ceiling((fraction * batch) - 1e-9)));
    }

    /// <summary>Row indices (int64 [k]) of the <paramref name="count"/> highest per-sample cross-entropy losses, without gradients.</summary>
    public static Tensor HighestLossRows(Tensor outputs, Tensor targets, int count)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        using DisposeScope scope = NewDisposeScope();
        using (no_grad())
        {
            Tensor perSample = nn.functional.cross_entropy(outputs.detach(), targets, reduction: nn.Reduction.None);
            return perSample.topk(count).indexes.MoveToOuterDisposeScope();
        }
    }

    /// <summary>
    /// The loss of the <paramref name="fraction"/> of the batch with the highest cross-entropy: <paramref name="loss"/> on
    /// those rows only (their mean cross-entropy by default), so the other rows get no gradient.
    /// </summary>
    public static Tensor Loss(LossFunction loss, Tensor outputs, Tensor targets, double fraction)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(targets);
        int count = SelectedCount(fraction, outputs.shape[0]);
        using Tensor rows = HighestLossRows(outputs, targets, count);
        using Tensor selectedOutputs = outputs.index_select(0, rows);
        using Tensor selectedTargets = targets.index_select(0, rows);
        return loss(selectedOutputs, selectedTargets);
    }
}
