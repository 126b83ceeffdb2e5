using Tuner.Techniques.Optimization.LabelSmoothing;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization.LabelSmoothing;

public sealed class LabelSmoothingMathTests
{
    public LabelSmoothingMathTests() => TorchSharp.torch.set_num_threads(1);

    [Theory]
    [InlineData(0.1, 10)]
    [InlineData(0.3, 3)]
    [InlineData(0.0, 4)]
    public void SmoothedTargets_EachRow_PutsOneMinusAlphaPlusShareOnTheTrueClassAndTheShareElsewhere(double alpha, int classes)
    {
        using var scope = NewDisposeScope();
        long[] labels = [.. Enumerable.Range(0, 7).Select(i => (long)(i % classes))];

        float[] targets = LabelSmoothingMath.SmoothedTargets(tensor(labels), classes, alpha).data<float>().ToArray();

        for (int row = 0; row < labels.Length; row++)
        {
            float[] values = targets[(row * classes)..((row + 1) * classes)];
            Assert.Equal(1.0, values.Sum(), 5);
            for (int k = 0; k < classes; k++)
            {
                double expected = k == labels[row] ? (1 - alpha) + (alpha / classes) : alpha / classes;
                Assert.Equal(expected, values[k], 6);
            }
        }
    }

    [Fact]
    public void Loss_SmallLogits_EqualsHandComputation()
    {
        using var scope = NewDisposeScope();
        double[][] logits = [[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]];
        long[] labels = [2, 0];
        const double Alpha = 0.3;

        double expected = 0;
        for (int row = 0; row < 2; row++)
        {
            double logSumExp = Math.Log(logits[row].Sum(Math.Exp));
            for (int k = 0; k < 3; k++)
            {
                double target = (k == labels[row] ? 1 - Alpha : 0) + (Alpha / 3);
                expected -= target * (logits[row][k] - logSumExp);
            }
        }

        expected /= 2;

        Tensor input = tensor(logits.SelectMany(r => r).Select(v => (float)v).ToArray(), [2, 3]);
        double actual = LabelSmoothingMath.Loss(input, tensor(labels), Alpha).item<float>();

        Assert.Equal(expected, actual, 5);
        Assert.Equal(0.75587, expected, 5); // pin the hand computation itself
    }

    [Fact]
    public void Loss_AlphaZero_IsPlainCrossEntropy()
    {
        using var scope = NewDisposeScope();
        Tensor logits = randn(16, 10, generator: new Generator(3));
        Tensor labels = randint(0, 10, [16], generator: new Generator(4));

        double smoothed = LabelSmoothingMath.Loss(logits, labels, 0.0).item<float>();
        double plain = nn.functional.cross_entropy(logits, labels).item<float>();

        Assert.Equal(plain, smoothed, 5);
    }

    [Fact]
    public void Loss_ConfidentCorrectLogits_IsPenalisedComparedToCrossEntropy()
    {
        using var scope = NewDisposeScope();
        Tensor logits = tensor(new float[] { 20f, 0f, 0f, 0f, 20f, 0f }, [2, 3]);
        Tensor labels = tensor(new long[] { 0, 1 });

        double smoothed = LabelSmoothingMath.Loss(logits, labels, 0.2).item<float>();
        double plain = nn.functional.cross_entropy(logits, labels).item<float>();

        Assert.True(plain < 1e-6);
        Assert.True(smoothed > 2.0, $"smoothed loss {smoothed} should charge the mass alpha * 2/3 put on classes with log-probability -20");
    }

    [Fact]
    public void Loss_Gradient_FlowsToTheLogits()
    {
        using var scope = NewDisposeScope();
        Tensor logits = randn(4, 5, generator: new Generator(1)).requires_grad_(true);
        Tensor labels = tensor(new long[] { 0, 1, 2, 3 });

        LabelSmoothingMath.Loss(logits, labels, 0.1).backward();

        Assert.NotNull(logits.grad);
        Assert.True(logits.grad!.abs().sum().item<float>() > 0);
    }
}
