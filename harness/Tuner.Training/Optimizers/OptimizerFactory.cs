using Tuner.Core.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tuner.Training.Optimizers;

/// <summary>Builds the optimizer a <see cref="TrainingConfiguration"/> names.</summary>
public static class OptimizerFactory
{
    public static optim.Optimizer Create(TrainingConfiguration configuration, IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Optimizer switch
        {
            "sgd" => optim.SGD(parameters, configuration.LearningRate, configuration.Momentum, 0, configuration.WeightDecay, false),
            "nesterov" => optim.SGD(parameters, configuration.LearningRate, configuration.Momentum, 0, configuration.WeightDecay, true),
            "adam" => optim.Adam(parameters, configuration.LearningRate, weight_decay: configuration.WeightDecay),
            "adamw" => optim.AdamW(parameters, configuration.LearningRate, weight_decay: configuration.WeightDecay),
            _ => throw new ArgumentException($"Unknown optimizer '{configuration.Optimizer}'.", nameof(configuration)),
        };
    }
}
