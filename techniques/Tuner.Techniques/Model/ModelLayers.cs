using TorchSharp.Modules;
using Tuner.Training.Models;
using static TorchSharp.torch;

namespace Tuner.Techniques.Model;

/// <summary>
/// Finds the layers the model techniques act on in a model built by <see cref="ModelFactory"/> (or any module tree):
/// the parametric layers (<see cref="Linear"/>, <see cref="Conv2d"/>) in forward order, and the residual blocks.
/// </summary>
public static class ModelLayers
{
    /// <summary>
    /// Every <see cref="Linear"/> and <see cref="Conv2d"/> in forward order: children in registration order (the order a
    /// <c>Sequential</c> runs them), a <see cref="ResidualBlock"/> as its first then its second layer. The last one is the head.
    /// </summary>
    public static IReadOnlyList<nn.Module<Tensor, Tensor>> Parametric(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        Collect(model, layers);
        return layers;
    }

    /// <summary>The residual blocks in forward order (empty for a model without them).</summary>
    public static IReadOnlyList<ResidualBlock> ResidualBlocks(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var blocks = new List<ResidualBlock>();
        CollectBlocks(model, blocks);
        return blocks;
    }

    /// <summary>The Transformer blocks in forward order (empty for a model without them).</summary>
    public static IReadOnlyList<TransformerBlock> TransformerBlocks(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.modules().OfType<TransformerBlock>()];
    }

    /// <summary>The weight of a <see cref="Linear"/> or <see cref="Conv2d"/>.</summary>
    public static Parameter Weight(nn.Module layer) => layer switch
    {
        Linear linear => linear.weight,
        Conv2d conv => conv.weight,
        _ => throw new ArgumentException($"{layer?.GetType().Name} is not a Linear or Conv2d layer", nameof(layer)),
    };

    /// <summary>The bias of a <see cref="Linear"/> or <see cref="Conv2d"/>; null when it has none.</summary>
    public static Parameter? Bias(nn.Module layer) => layer switch
    {
        Linear linear => linear.bias,
        Conv2d conv => conv.bias,
        _ => throw new ArgumentException($"{layer?.GetType().Name} is not a Linear or Conv2d layer", nameof(layer)),
    };

    /// <summary>The weight and (when present) the bias of a parametric layer.</summary>
    public static IReadOnlyList<Parameter> Parameters(nn.Module layer)
    {
        Parameter? bias = Bias(layer);
        return bias is null ? [Weight(layer)] : [Weight(layer), bias];
    }

    private static void Collect(nn.Module module, List<nn.Module<Tensor, Tensor>> layers)
    {
        switch (module)
        {
            case Linear or Conv2d:
                layers.Add((nn.Module<Tensor, Tensor>)module);
                return;
            case ResidualBlock block:
                layers.Add(block.First);
                layers.Add(block.Second);
                return;
            default:
                foreach ((string _, nn.Module child) in module.named_children())
                {
                    Collect(child, layers);
                }

                return;
        }
    }

    private static void CollectBlocks(nn.Module module, List<ResidualBlock> blocks)
    {
        if (module is ResidualBlock block)
        {
            blocks.Add(block);
            return;
        }

        foreach ((string _, nn.Module child) in module.named_children())
        {
            CollectBlocks(child, blocks);
        }
    }
}
