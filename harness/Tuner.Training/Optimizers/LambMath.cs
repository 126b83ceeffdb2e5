using static TorchSharp.torch;

namespace Tuner.Training.Optimizers;

/// <summary>LAMB (You et al., Large Batch Optimization for Deep Learning: Training BERT in 76 minutes, ICLR 2020).</summary>
public static class LambMath
{
    /// <summary>
    /// The layer-wise trust ratio ||w|| / ||u||, or 1 when either norm is 0 (a zero layer or a zero update keeps the
    /// plain learning rate, as in the reference implementations).
    /// </summary>
    public static double TrustRatio(double weightNorm, double updateNorm) =>
        weightNorm > 0 && updateNorm > 0 ? weightNorm / updateNorm : 1.0;

    /// <summary>
    /// One step on one parameter tensor (a layer), in place: Adam moments with bias correction;
    /// u = m_hat / (sqrt(v_hat) + eps) + weightDecay * w; w -= lr * TrustRatio(||w||, ||u||) * u.
    /// </summary>
    public static void Update(Tensor parameter, Tensor gradient, Tensor m, Tensor v, long step, double learningRate, AdamOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();
        AdamMath.Moments(gradient, m, v, options);
        double correction1 = 1 - Math.Pow(options.Beta1, step);
        double correction2 = 1 - Math.Pow(options.Beta2, step);
        Tensor denominator = v.div(correction2).sqrt_().add_(options.Epsilon);
        Tensor update = m.div(correction1).div_(denominator);
        if (options.WeightDecay != 0)
        {
            update.add_(parameter, options.WeightDecay);
        }

        // The ratio stays on the device (no host synchronisation): where(both norms > 0, ||w|| / ||u||, 1).
        Tensor weightNorm = parameter.norm();
        Tensor updateNorm = update.norm();
        Tensor ratio = where(weightNorm.gt(0).logical_and(updateNorm.gt(0)), weightNorm.div(updateNorm), ones_like(weightNorm));
        parameter.sub_(update.mul_(ratio.mul_(learningRate)));
    }
}
