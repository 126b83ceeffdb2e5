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
