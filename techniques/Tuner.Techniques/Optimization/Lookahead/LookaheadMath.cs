using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Lookahead;

/// <summary>Lookahead (Zhang, Lucas, Hinton and Ba, Lookahead Optimizer: k steps forward, 1 step back, NeurIPS 2019).</summary>
public static class LookaheadMath
{
    /// <summary>In place: slow += alpha * (fast - slow); fast = slow.</summary>
    public static void Synchronize(Tensor slow, Tensor fast, double alpha)
    {
        ArgumentNullException.ThrowIfNull(slow);
        ArgumentNullException.ThrowIfNull(fast);
        using var scope = NewDisposeScope();
        slow.add_(fast.sub(slow), alpha);
        fast.copy_(slow);
    }
}
