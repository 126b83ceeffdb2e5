using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Training.Models;

/// <summary>Builds the torch module for a <see cref="ModelSpec"/> on given input shape and class count.</summary>
public static class ModelFactory
{
    public static nn.Module<Tensor, Tensor> Create(ModelSpec spec, IReadOnlyList<long> sampleShape, int classCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sampleShape);

        // Conv2d's initialisation leaves one temporary tensor per layer outside any scope; building inside a scope
        // disposes it (module parameters are not owned by the scope and survive).
        using DisposeScope scope = NewDisposeScope();
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        switch (spec.Kind)
        {
            case "mlp":
            {
                long inputs = sampleShape.Aggregate(1L, (a, b) => a * b);
                layers.Add(("flatten", nn.Flatten()));
                long previous = inputs;
                for (int i = 0; i < spec.Hidden.Count; i++)
                {
                    layers.Add(($"fc{i + 1}", nn.Linear(previous, spec.Hidden[i])));
                    layers.Add(($"relu{i + 1}", nn.ReLU()));
                    previous = spec.Hidden[i];
                }

                layers.Add(("head", nn.Linear(previous, classCount)));
                break;
            }

            case "resmlp":
            {
                long inputs = sampleShape.Aggregate(1L, (a, b) => a * b);
                int width = spec.Hidden.Count > 0 ? spec.Hidden[0] : 64;
                layers.Add(("flatten", nn.Flatten()));
                layers.Add(("stem", nn.Linear(inputs, width)));
                layers.Add(("stem_relu", nn.ReLU()));
                for (int i = 0; i < spec.Blocks; i++)
                {
                    layers.Add(($"block{i + 1}", new ResidualBlock($"block{i + 1}", width)));
                }

                layers.Add(("relu", nn.ReLU()));
                layers.Add(("head", nn.Linear(width, classCount)));
                break;
            }

            case "cnn":
            {
                if (sampleShape.Count != 3)
                {
                    throw new ArgumentException($"a cnn needs image inputs [channels, height, width]; this data has shape [{string.Join(", ", sampleShape)}]", nameof(sampleShape));
                }

                long channels = sampleShape[0], height = sampleShape[1], width = sampleShape[2];
                for (int i = 0; i < spec.Channels.Count; i++)
                {
                    layers.Add(($"conv{i + 1}", nn.Conv2d(channels, spec.Channels[i], 3, padding: 1)));
                    layers.Add(($"crelu{i + 1}", nn.ReLU()));
                    layers.Add(($"pool{i + 1}", nn.MaxPool2d(2)));
                    channels = spec.Channels[i];
                    height /= 2;
                    width /= 2;
                    if (height < 1 || width < 1)
                    {
                        throw new ArgumentException(
                            $"a cnn with {spec.Channels.Count} pooling blocks shrinks input [{string.Join(", ", sampleShape)}] to nothing after block {i + 1}: use at most {(int)Math.Floor(Math.Log2(Math.Min(sampleShape[1], sampleShape[2])))} entries in model.channels",
                            nameof(spec));
                    }
                }

                layers.Add(("adaptive_pool", nn.AdaptiveAvgPool2d([height, width])));
                layers.Add(("flatten", nn.Flatten()));
                long previous = channels * height * width;
                for (int i = 0; i < spec.Hidden.Count; i++)
                {
                    layers.Add(($"fc{i + 1}", nn.Linear(previous, spec.Hidden[i])));
                    layers.Add(($"relu{i + 1}", nn.ReLU()));
                    previous = spec.Hidden[i];
                }

                layers.Add(("head", nn.Linear(previous, classCount)));
                break;
            }

            default:
                throw new ArgumentException($"unknown model kind '{spec.Kind}'", nameof(spec));
        }

        return nn.Sequential(layers);
    }
}
