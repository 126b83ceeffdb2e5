using static TorchSharp.torch;

namespace Tuner.Training.Optimizers;

/// <summary>LARS (You, Gitman and Ginsburg, Large Batch Training of Convolutional Networks, arXiv 1708.03888, 2017), Algorithm 1.</summary>
public static class LarsMath
{
    /// <summary>
    /// The layer's local learning rate eta * ||w|| / (||g|| + weightDecay * ||w||), or 1 when ||w|| or ||g|| is 0
    /// (the global rate alone, as in the reference implementations).
    /// </summary>
    public static double LocalRate(double weightNorm, double gradientNorm, double trust, double weightDecay) =>
        weightNorm > 0 && gradientNorm > 0 ? trust * weightNorm / (gradientNorm + (weightDecay * weightNorm)) : 1.0;

    /// <summary>
    /// One step on one parameter tensor (a layer), in place: v = momentum * v + lr * local * (g + weightDecay * w);
    /// w -= v, with local = <see cref="LocalRate"/>.
    /// </summary>
    public static void Update(Tensor parameter, Tensor gradient, Tensor velocity, double learningRate, LarsOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(velocity);
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();

        // The local rate stays on the device (no host synchronisation).
        Tensor weightNorm = parameter.norm();
        Tensor gradientNorm = gradient.norm();
        Tensor local = where(
            weightNorm.gt(0).logical_and(gradientNorm.gt(0)),
            weightNorm.mul(options.Trust).div_(gradientNorm.add(weightNorm, options.WeightDecay)),
            ones_like(weightNorm));
        Tensor direction = options.WeightDecay == 0 ? gradient.clone() : gradient.add(parameter, options.WeightDecay);
        velocity.mul_(options.Momentum).add_(direction.mul_(local.mul_(learningRate)));
        parameter.sub_(velocity);
    }
}
