using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.DataPruning;

/// <summary>Pure functions of EL2N data pruning (Paul, Ganguli and Dziugaite, "Deep Learning on a Data Diet", NeurIPS 2021).</summary>
public static class DataPruningMath
{
    /// <summary>EL2N score per sample: the L2 norm of softmax(logits) - onehot(label); float32 [B]. For a sequence model ([B, T, V] logits, [B, T] labels) the mean over positions.</summary>
    public static Tensor El2n(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using DisposeScope scope = NewDisposeScope();
        Tensor probabilities = nn.functional.softmax(logits.to_type(ScalarType.Float32), -1);
        Tensor oneHot = nn.functional.one_hot(labels, logits.shape[^1]).to_type(ScalarType.Float32);
        Tensor perPosition = probabilities.sub(oneHot).square().sum(-1).sqrt();
        return (logits.dim() == 3 ? perPosition.mean([1]) : perPosition).MoveToOuterDisposeScope();
    }

    /// <summary>Rows kept out of <paramref name="rows"/>: round(keep * rows) (half away from zero), at least 1.</summary>
    public static long KeptCount(double keep, long rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        return Math.Clamp((long)Math.Round(keep * rows, MidpointRounding.AwayFromZero), 1, rows);
    }

    /// <summary>The <paramref name="count"/> rows with the highest score (the hardest examples), in descending score order: int64 [count].</summary>
    public static Tensor HardestRows(Tensor scores, long count)
    {
        ArgumentNullException.ThrowIfNull(scores);
        using DisposeScope scope = NewDisposeScope();
        return scores.topk((int)count).indexes.MoveToOuterDisposeScope();
    }
}
