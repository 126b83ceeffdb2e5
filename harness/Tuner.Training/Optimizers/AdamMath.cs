using static TorchSharp.torch;

namespace Tuner.Training.Optimizers;

/// <summary>Adam (Kingma and Ba, ICLR 2015) and AdamW (Loshchilov and Hutter, ICLR 2019), as PyTorch computes them.</summary>
public static class AdamMath
{
    /// <summary>
    /// One step, in place. With <paramref name="decoupled"/> (AdamW) w *= 1 - lr * weightDecay first; otherwise (Adam)
    /// g += weightDecay * w. Then m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;
    /// w -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps), t counting steps from 1.
    /// </summary>
    public static void Update(Tensor parameter, Tensor gradient, Tensor m, Tensor v, long step, double learningRate, AdamOptions options, bool decoupled)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();
        Tensor g = gradient;
        if (decoupled)
        {
            parameter.mul_(1 - (learningRate * options.WeightDecay));
        }
        else if (options.WeightDecay != 0)
        {
            g = gradient.add(parameter, options.WeightDecay);
        }

        Moments(g, m, v, options);
        double correction1 = 1 - Math.Pow(options.Beta1, step);
        double correction2 = 1 - Math.Pow(options.Beta2, step);
        Tensor denominator = v.sqrt().div_(Math.Sqrt(correction2)).add_(options.Epsilon);
        parameter.addcdiv_(m, denominator, -learningRate / correction1);
    }

    /// <summary>The moment updates, in place: m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2.</summary>
    public static void Moments(Tensor gradient, Tensor m, Tensor v, AdamOptions options)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(options);
        m.mul_(options.Beta1).add_(gradient, 1 - options.Beta1);
        v.mul_(options.Beta2).addcmul_(gradient, gradient, 1 - options.Beta2);
    }
}
