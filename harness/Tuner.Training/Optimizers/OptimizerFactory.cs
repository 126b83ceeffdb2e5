using Tuner.Core.Configuration;
using Tuner.Core.Options;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tuner.Training.Optimizers;

/// <summary>Builds the optimizer a <see cref="TrainingConfiguration"/> names (<see cref="OptimizerCatalog"/>), with its options.</summary>
public static class OptimizerFactory
{
    public static IStepOptimizer Create(TrainingConfiguration configuration, IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(parameters);
        OptionValues o = OptimizerCatalog.Values(configuration.Optimizer, configuration.OptimizerOptions);
        double lr = configuration.LearningRate, momentum = configuration.Momentum, decay = configuration.WeightDecay;
        Parameter[] all = [.. parameters];
        return configuration.Optimizer switch
        {
            OptimizerCatalog.Sgd => new TorchStepOptimizer(OptimizerCatalog.Sgd, optim.SGD(all, lr, momentum, 0, decay, false)),
            OptimizerCatalog.Nesterov => new TorchStepOptimizer(OptimizerCatalog.Nesterov, optim.SGD(all, lr, momentum, 0, decay, true)),
            OptimizerCatalog.Adam => new TorchStepOptimizer(OptimizerCatalog.Adam, optim.Adam(all, lr, o.Number("beta1"), o.Number("beta2"), o.Number("eps"), decay)),
            OptimizerCatalog.AdamW => new TorchStepOptimizer(OptimizerCatalog.AdamW, optim.AdamW(all, lr, o.Number("beta1"), o.Number("beta2"), o.Number("eps"), decay)),
            OptimizerCatalog.Lamb => new TensorRuleOptimizer(OptimizerCatalog.Lamb, all, new LambRule(Adam(o, decay))) { LearningRate = lr },
            OptimizerCatalog.Lars => new TensorRuleOptimizer(OptimizerCatalog.Lars, all, new LarsRule(new LarsOptions { Momentum = momentum, Trust = o.Number("trust"), WeightDecay = decay })) { LearningRate = lr },
            _ => throw new ArgumentException($"Unknown optimizer '{configuration.Optimizer}'.", nameof(configuration)),
        };
    }

    private static AdamOptions Adam(OptionValues o, double decay) => new()
    {
        Beta1 = o.Number("beta1"),
        Beta2 = o.Number("beta2"),
        Epsilon = o.Number("eps"),
        WeightDecay = decay,
    };

    private sealed class LambRule(AdamOptions options) : ITensorRule
    {
        public int StateSlots => 2;

        public void Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, long step, double learningRate) =>
            LambMath.Update(parameter, gradient, state[0], state[1], step, learningRate, options);
    }

    private sealed class LarsRule(LarsOptions options) : ITensorRule
    {
        public int StateSlots => 1;

        public void Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, long step, double learningRate) =>
            LarsMath.Update(parameter, gradient, state[0], learningRate, options);
    }
}
