using TorchSharp;
using Tuner.Core.Configuration;
using Tuner.Suites.Specs;
using Tuner.Training.Data;
using Tuner.Training.Models;
using Tuner.Training.Optimizers;
using static TorchSharp.torch;

namespace Tuner.Benchmarks;

/// <summary>
/// The training loop a TorchSharp user writes by hand, doing what the engine does for a run without techniques: seed
/// 1, build the model, a seeded permutation per epoch, per batch gather, forward, cross-entropy, zero_grad, backward,
/// step, each batch in its own dispose scope. The engine's overhead benchmarks compare against it.
/// </summary>
internal static class BareLoop
{
    /// <summary>Trains <paramref name="steps"/> steps and returns the model (in eval mode; the caller evaluates and disposes it).</summary>
    public static nn.Module<Tensor, Tensor> Train(ModelSpec spec, TensorDataset train, TrainingConfiguration configuration, long steps)
    {
        manual_seed(1);
        nn.Module<Tensor, Tensor> model = ModelFactory.Create(spec, train.SampleShape, train.ClassCount);
        model.train();
        using IStepOptimizer optimizer = OptimizerFactory.Create(configuration, model.parameters());
        using var generator = new Generator(1, CPU);
        long n = train.Count;
        int batch = configuration.BatchSize;
        long done = 0;
        while (done < steps)
        {
            using DisposeScope epoch = NewDisposeScope();
            Tensor permutation = randperm(n, generator: generator);
            for (long start = 0; start < n && done < steps; start += batch, done++)
            {
                using DisposeScope scope = NewDisposeScope();
                Tensor indices = permutation.narrow(0, start, Math.Min(batch, n - start));
                Tensor x = train.Gather(indices);
                Tensor y = train.Labels.index_select(0, indices);
                Tensor loss = nn.functional.cross_entropy(model.call(x), y);
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.TakeStep();
            }
        }

        model.eval();
        return model;
    }
}
