using static TorchSharp.torch;

namespace Tuner.Training.Optimizers;

/// <summary>SGD with Nesterov momentum (Sutskever et al., ICML 2013), in PyTorch's formulation (dampening 0).</summary>
public static class NesterovMath
{
    /// <summary>
    /// One step, in place: d = g + weightDecay * w; buffer = d on the first step, else momentum * buffer + d;
    /// w -= learningRate * (d + momentum * buffer).
    /// </summary>
    public static void Update(Tensor parameter, Tensor gradient, Tensor buffer, bool first, double learningRate, double momentum, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(buffer);
        using var scope = NewDisposeScope();
        Tensor direction = weightDecay == 0 ? gradient : gradient.add(parameter, weightDecay);
        if (first)
        {
            buffer.copy_(direction);
        }
        else
        {
            buffer.mul_(momentum).add_(direction);
        }

        parameter.add_(direction.add(buffer, momentum), -learningRate);
    }
}
