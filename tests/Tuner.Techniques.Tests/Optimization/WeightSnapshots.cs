using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tuner.Techniques.Tests.Optimization;

/// <summary>Copies of a model's parameters or gradients as managed arrays (in parameter order), and comparisons.</summary>
internal static class WeightSnapshots
{
    public static float[][] Weights(nn.Module model)
    {
        using var scope = NewDisposeScope();
        return [.. model.parameters().Select(p => p.detach().cpu().data<float>().ToArray())];
    }

    public static float[][] Gradients(nn.Module model)
    {
        using var scope = NewDisposeScope();
        return [.. model.parameters().Select(p => p.grad is { } g ? g.cpu().data<float>().ToArray() : new float[p.numel()])];
    }

    public static long[][] Shapes(nn.Module model) => [.. model.parameters().Select(p => p.shape)];

    /// <summary>Parameters (requiring gradients) holding the given values, in the caller's dispose scope.</summary>
    public static Parameter[] ToParameters(float[][] values, long[][] shapes) =>
        [.. values.Select((v, i) => new Parameter(tensor(v, shapes[i])))];

    public static float[][] ToArrays(IEnumerable<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        return [.. tensors.Select(t => t.detach().cpu().data<float>().ToArray())];
    }

    public static void AssertClose(float[][] expected, float[][] actual, double relative, double absolute, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (int j = 0; j < expected[i].Length; j++)
            {
                double e = expected[i][j], a = actual[i][j];
                Assert.True(Math.Abs(e - a) <= absolute + (relative * Math.Abs(e)), $"{what}: tensor {i} element {j}: expected {e}, got {a}");
            }
        }
    }

    public static double MaxDifference(float[][] a, float[][] b) =>
        a.Zip(b).SelectMany(p => p.First.Zip(p.Second, (x, y) => Math.Abs((double)x - y))).Max();
}
