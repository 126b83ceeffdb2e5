using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Training.Models;

/// <summary>Builds the torch module for a <see cref="ModelSpec"/> on given input shape and class count.</summary>
public static class ModelFactory
{
    /// <summary>One layer of a model's plan: what <see cref="Create"/> builds and <see cref="ParameterShapes"/> describes.</summary>
    private sealed record Layer(string Name, string Kind, long In = 0, long Out = 0, long Height = 0, long Width = 0);

    public static nn.Module<Tensor, Tensor> Create(ModelSpec spec, IReadOnlyList<long> sampleShape, int classCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.ReadsTokens)
        {
            CheckTokens(spec, sampleShape, classCount);

            // Building leaves temporaries outside any scope (two per model); a scope disposes them, but it also owns the
            // embeddings' weights, which are detached from it first (Linear and LayerNorm parameters are not in it).
            using DisposeScope tokenScope = NewDisposeScope();
            nn.Module<Tensor, Tensor> transformer = spec.Kind == "transformer"
                ? new CausalTransformer(spec.Transformer, spec.Attention == "explicit")
                : new TransformerClassifier(spec.Transformer, classCount, spec.Attention == "explicit");
            foreach (TorchSharp.Modules.Parameter parameter in transformer.parameters())
            {
                parameter.DetachFromDisposeScope();
            }

            return transformer;
        }

        IReadOnlyList<Layer> plan = Plan(spec, sampleShape, classCount);

        // Conv2d's initialisation leaves one temporary tensor per layer outside any scope; building inside a scope
        // disposes it (module parameters are not owned by the scope and survive).
        using DisposeScope scope = NewDisposeScope();
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        foreach (Layer layer in plan)
        {
            layers.Add((layer.Name, layer.Kind switch
            {
                "flatten" => nn.Flatten(),
                "linear" => nn.Linear(layer.In, layer.Out),
                "relu" => nn.ReLU(),
                "residual" => new ResidualBlock(layer.Name, layer.Out),
                "conv" => PaddedConv2d.Needed(layer.Out) ? new PaddedConv2d(layer.Name, layer.In, layer.Out) : nn.Conv2d(layer.In, layer.Out, 3, padding: 1),
                "maxpool" => nn.MaxPool2d(2),
                "adaptive_pool" => nn.AdaptiveAvgPool2d([layer.Height, layer.Width]),
                _ => throw new InvalidOperationException($"unknown layer kind {layer.Kind}"),
            }));
        }

        return nn.Sequential(layers);
    }

    /// <summary>
    /// The shapes of the parameters <see cref="Create"/> would build, in order, without building anything (no tensor, no
    /// random draw): what a probe compares a trained model against.
    /// </summary>
    public static IReadOnlyList<long[]> ParameterShapes(ModelSpec spec, IReadOnlyList<long> sampleShape, int classCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.ReadsTokens)
        {
            CheckTokens(spec, sampleShape, classCount);
            return TransformerParameterShapes(spec, classCount);
        }

        var shapes = new List<long[]>();
        foreach (Layer layer in Plan(spec, sampleShape, classCount))
        {
            switch (layer.Kind)
            {
                case "linear":
                    shapes.Add([layer.Out, layer.In]);
                    shapes.Add([layer.Out]);
                    break;
                case "residual":
                    for (int i = 0; i < 2; i++)
                    {
                        shapes.Add([layer.Out, layer.Out]);
                        shapes.Add([layer.Out]);
                    }

                    break;
                case "conv":
                    shapes.Add([layer.Out, layer.In, 3, 3]);
                    shapes.Add([layer.Out]);
                    break;
            }
        }

        return shapes;
    }

    /// <summary>
    /// Model FLOPs of one training sample, forward and backward, as the matrix products need them: a weight used once
    /// costs 2 FLOPs forward (a multiply-add) and 4 backward (the weight's gradient and the input's), except in the first
    /// layer, whose input needs no gradient (2 + 2). Linear layers in x out uses, residual blocks two such layers, 3x3
    /// convolutions out x in x 9 x the output's height x width (padding keeps the size, pooling halves it). Biases,
    /// activations, pooling and the loss are left out (a few percent of these models). Counting the first layer at 6,
    /// as PaLM's 6N rule does, would overstate an MLP whose first layer dominates by up to half.
    /// </summary>
    public static double TrainingFlopsPerSample(ModelSpec spec, IReadOnlyList<long> sampleShape, int classCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (spec.ReadsTokens)
        {
            // Per token: dense layers, attention over the sample's length, the vocabulary head of a language model; a
            // classifier's head (d x classes once per sequence) is left out like biases.
            return spec.Transformer.TrainingFlopsPerSequence(sampleShape[0], vocabularyHead: spec.Kind == "transformer");
        }

        double flops = 0;
        double height = sampleShape.Count == 3 ? sampleShape[1] : 1, width = sampleShape.Count == 3 ? sampleShape[2] : 1;
        double perUse = 4; // the first weighted layer: no input gradient
        foreach (Layer layer in Plan(spec, sampleShape, classCount))
        {
            switch (layer.Kind)
            {
                case "linear":
                    flops += perUse * layer.In * layer.Out;
                    perUse = 6;
                    break;
                case "residual":
                    flops += 2 * 6.0 * layer.Out * layer.Out;
                    break;
                case "conv":
                    flops += perUse * layer.Out * layer.In * 9 * height * width;
                    perUse = 6;
                    break;
                case "maxpool":
                    height = Math.Floor(height / 2);
                    width = Math.Floor(width / 2);
                    break;
            }
        }

        return flops;
    }

    /// <summary>
    /// Throws a one-line <see cref="ArgumentException"/> when token data do not fit a Transformer: samples must be
    /// sequences [T] no longer than the context, and a language model predicts its own vocabulary.
    /// </summary>
    public static void CheckTokens(ModelSpec spec, IReadOnlyList<long> sampleShape, int classCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sampleShape);
        spec.Transformer.Validate();
        if (!ModelSpec.AttentionKinds.Contains(spec.Attention))
        {
            throw new ArgumentException($"unknown attention '{spec.Attention}': use {string.Join(" or ", ModelSpec.AttentionKinds)}");
        }

        if (sampleShape.Count != 1)
        {
            throw new ArgumentException($"a {spec.Kind} reads sequences of token ids [T]; this data has samples of shape [{string.Join(", ", sampleShape)}]: use text data (bible-kjv, spam-assassin)");
        }

        if (sampleShape[0] > spec.Context)
        {
            throw new ArgumentException($"the data's sequences of {sampleShape[0]} tokens are longer than the model's context of {spec.Context}: set data.sequence_length to at most {spec.Context} or model.context to at least {sampleShape[0]}");
        }

        if (spec.Kind == "transformer" && classCount != spec.Vocabulary)
        {
            throw new ArgumentException($"vocabulary mismatch: the language model predicts {spec.Vocabulary} tokens but the data has {classCount}: set model.vocabulary to {classCount}");
        }
    }

    private static List<long[]> TransformerParameterShapes(ModelSpec spec, int classCount)
    {
        long d = spec.Width, v = spec.Vocabulary;
        var shapes = new List<long[]> { new[] { v, d }, new[] { (long)spec.Context, d } };
        for (int i = 0; i < spec.Layers; i++)
        {
            shapes.AddRange([[d], [d], [3 * d, d], [3 * d], [d, d], [d], [d], [d], [4 * d, d], [4 * d], [d, 4 * d], [d]]);
        }

        shapes.AddRange([[d], [d]]);
        if (spec.Kind == "encoder")
        {
            shapes.AddRange([[classCount, d], [classCount]]);
        }
        else if (!spec.TieWeights)
        {
            shapes.AddRange([[v, d], [v]]);
        }

        return shapes;
    }

    private static List<Layer> Plan(ModelSpec spec, IReadOnlyList<long> sampleShape, int classCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sampleShape);
        var layers = new List<Layer>();
        switch (spec.Kind)
        {
            case "mlp":
            {
                long previous = sampleShape.Aggregate(1L, (a, b) => a * b);
                layers.Add(new("flatten", "flatten"));
                for (int i = 0; i < spec.Hidden.Count; i++)
                {
                    layers.Add(new($"fc{i + 1}", "linear", previous, spec.Hidden[i]));
                    layers.Add(new($"relu{i + 1}", "relu"));
                    previous = spec.Hidden[i];
                }

                layers.Add(new("head", "linear", previous, classCount));
                break;
            }

            case "resmlp":
            {
                long inputs = sampleShape.Aggregate(1L, (a, b) => a * b);
                int width = spec.Hidden.Count > 0 ? spec.Hidden[0] : 64;
                layers.Add(new("flatten", "flatten"));
                layers.Add(new("stem", "linear", inputs, width));
                layers.Add(new("stem_relu", "relu"));
                for (int i = 0; i < spec.Blocks; i++)
                {
                    layers.Add(new($"block{i + 1}", "residual", width, width));
                }

                layers.Add(new("relu", "relu"));
                layers.Add(new("head", "linear", width, classCount));
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
                    layers.Add(new($"conv{i + 1}", "conv", channels, spec.Channels[i]));
                    layers.Add(new($"crelu{i + 1}", "relu"));
                    layers.Add(new($"pool{i + 1}", "maxpool"));
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

                layers.Add(new("adaptive_pool", "adaptive_pool", Height: height, Width: width));
                layers.Add(new("flatten", "flatten"));
                long previous = channels * height * width;
                for (int i = 0; i < spec.Hidden.Count; i++)
                {
                    layers.Add(new($"fc{i + 1}", "linear", previous, spec.Hidden[i]));
                    layers.Add(new($"relu{i + 1}", "relu"));
                    previous = spec.Hidden[i];
                }

                layers.Add(new("head", "linear", previous, classCount));
                break;
            }

            default:
                throw new ArgumentException($"unknown model kind '{spec.Kind}'", nameof(spec));
        }

        return layers;
    }
}
