using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Training.Data;

/// <summary>
/// A split held entirely in tensors: <see cref="Features"/> [N, ...] float32 and <see cref="Labels"/> [N] int64.
/// Owns both tensors (detached from any dispose scope) and disposes them.
/// </summary>
public sealed class TensorDataset : IDisposable
{
    public TensorDataset(Tensor features, Tensor labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.shape[0] != labels.shape[0])
        {
            throw new ArgumentException($"features have {features.shape[0]} rows but labels {labels.shape[0]}", nameof(labels));
        }

        Features = features.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        ClassCount = classCount;
    }

    public Tensor Features { get; }

    public Tensor Labels { get; }

    public int ClassCount { get; }

    public long Count => Labels.shape[0];

    /// <summary>The shape of one sample (features without the batch dimension).</summary>
    public long[] SampleShape => Features.shape[1..];

    /// <summary>A copy on <paramref name="device"/> (or this instance's tensors copied when already there).</summary>
    public TensorDataset To(Device device)
    {
        using var scope = NewDisposeScope();
        return new TensorDataset(Features.to(device), Labels.to(device), ClassCount);
    }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
