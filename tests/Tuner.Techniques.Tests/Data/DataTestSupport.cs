using TorchSharp;
using Tuner.Core.Trials;
using Tuner.Training.Data;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data;

/// <summary>Helpers shared by the data-technique tests: copies of batch tensors, independent per-row scores, and a run on non-image data.</summary>
internal static class DataTestSupport
{
    public static float[] Floats(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to(CPU).to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    public static long[] Longs(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.to(CPU).to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
    }

    /// <summary>Per-row cross-entropy of logits against labels, computed in managed code (independent of the techniques' torch code).</summary>
    public static double[] CrossEntropyByHand(float[] logits, long[] labels, int classes)
    {
        var losses = new double[labels.Length];
        for (int row = 0; row < labels.Length; row++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < classes; k++)
            {
                max = Math.Max(max, logits[(row * classes) + k]);
            }

            double sum = 0;
            for (int k = 0; k < classes; k++)
            {
                sum += Math.Exp(logits[(row * classes) + k] - max);
            }

            losses[row] = max + Math.Log(sum) - logits[(row * classes) + labels[row]];
        }

        return losses;
    }

    /// <summary>EL2N per row, ||softmax - onehot||2, computed in managed code.</summary>
    public static double[] El2nByHand(float[] logits, long[] labels, int classes)
    {
        var scores = new double[labels.Length];
        for (int row = 0; row < labels.Length; row++)
        {
            double max = Enumerable.Range(0, classes).Max(k => (double)logits[(row * classes) + k]);
            double[] e = [.. Enumerable.Range(0, classes).Select(k => Math.Exp(logits[(row * classes) + k] - max))];
            double sum = e.Sum();
            double squares = 0;
            for (int k = 0; k < classes; k++)
            {
                double d = (e[k] / sum) - (k == labels[row] ? 1 : 0);
                squares += d * d;
            }

            scores[row] = Math.Sqrt(squares);
        }

        return scores;
    }

    /// <summary>The logits of every train row under the state's current model (no gradients), row-major [N * classes].</summary>
    public static float[] TrainLogits(TrainingState state)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Floats(state.Model.call(state.Train.Slice(0, state.Train.Count)));
    }

    /// <summary>Per-row cross-entropy of every train row under the state's current model.</summary>
    public static double[] TrainCrossEntropy(TrainingState state) =>
        CrossEntropyByHand(TrainLogits(state), Longs(state.Train.Labels), state.Train.ClassCount);

    /// <summary>Runs <paramref name="technique"/> for two steps on 64 rows of 5 plain features (not images) with a small mlp.</summary>
    public static TrainingOutcome RunOnTabularData(SuiteDataCache suites, ITechnique technique)
    {
        (var suite, _) = suites.Get("digits-mlp");
        using var train = new TensorDataset(randn(64, 5, generator: new Generator(1)), randint(0, 3, [64], generator: new Generator(2)), 3);
        using var eval = new TensorDataset(randn(32, 5, generator: new Generator(3)), randint(0, 3, [32], generator: new Generator(4)), 3);
        var request = new TrainingRequest
        {
            ModelFactory = () => ModelFactory.Create(new ModelSpec("mlp", [8], []), train.SampleShape, train.ClassCount),
            Train = train,
            Eval = eval,
            Configuration = suite.Baseline,
            Budget = CoreBudget.Steps(2),
            Target = new TargetSpec("accuracy", 1.0),
            Seed = 1,
            Techniques = [technique],
        };
        return BudgetedTrainer.Run(request, null, CancellationToken.None);
    }
}
