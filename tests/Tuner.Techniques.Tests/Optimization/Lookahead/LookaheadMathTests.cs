using Tuner.Techniques.Optimization.Lookahead;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization.Lookahead;

public sealed class LookaheadMathTests
{
    public LookaheadMathTests() => set_num_threads(1);

    [Fact]
    public void Synchronize_MovesSlowAlphaOfTheWayAndResetsFastToIt()
    {
        using var scope = NewDisposeScope();
        Tensor slow = tensor(new float[] { 0f, 2f });
        Tensor fast = tensor(new float[] { 4f, -2f });

        LookaheadMath.Synchronize(slow, fast, 0.25);

        Assert.Equal([1f, 1f], slow.data<float>().ToArray());
        Assert.Equal([1f, 1f], fast.data<float>().ToArray());
    }
}
