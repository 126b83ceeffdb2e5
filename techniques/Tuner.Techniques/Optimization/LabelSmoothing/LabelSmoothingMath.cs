using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.LabelSmoothing;

/// <summary>Pure functions of label smoothing (Szegedy et al., 2016).</summary>
public static class LabelSmoothingMath
{
    /// <summary>The smoothed target distribution: (1 - alpha) on the true class plus alpha / classes on every class.</summary>
    public static Tensor SmoothedTargets(Tensor labels, int classes, double alpha)
    {
        using Tensor oneHot = nn.functional.one_hot(labels, classes).to_type(ScalarType.Float32);
        return oneHot.mul(1 - alpha).add(alpha / classes);
    }

    /// <summary>
    /// Per sample, the loss below (<paramref name="inner"/>, cross-entropy against the hard or mixed targets) smoothed:
    /// (1 - alpha) * inner + alpha * (-mean_k log softmax_k), for a sequence model's [B, T, V] logits the mean over positions. For cross-entropy this is the cross-entropy against
    /// (1 - alpha) * target + alpha / K; over mixup's mixed targets, against the smoothed mixed targets (smoothing is linear).
    /// </summary>
    public static Tensor Smoothed(SampleLoss inner, Tensor logits, Tensor labels, double alpha)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(logits);
        using Tensor hard = inner(logits, labels);
        using Tensor logProbabilities = nn.functional.log_softmax(logits, -1);
        using Tensor perPosition = logProbabilities.mean([-1]).neg();
        using Tensor uniform = logits.dim() == 3 ? perPosition.mean([1]) : perPosition.alias(); // a sequence: the mean over its positions
        using Tensor scaled = hard.mul(1 - alpha);
        return scaled.add(uniform, alpha);
    }

    /// <summary>Cross-entropy against the smoothed distribution, averaged over the batch.</summary>
    public static Tensor Loss(Tensor logits, Tensor labels, double alpha)
    {
        int classes = (int)logits.shape[1];
        using Tensor targets = SmoothedTargets(labels, classes, alpha);
        using Tensor logProbabilities = nn.functional.log_softmax(logits, 1);
        using Tensor perSample = targets.mul(logProbabilities).sum(1).neg();
        return perSample.mean();
    }
}
