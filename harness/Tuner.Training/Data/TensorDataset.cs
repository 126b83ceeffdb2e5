using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Training.Data;

/// <summary>
/// A split held entirely in tensors: <see cref="Features"/> [N, ...] as stored (float32, or uint8 for images) and
/// <see cref="Labels"/> [N] int64. Model inputs are <c>stored * Scale + Shift</c> as float32, made per batch by
/// <see cref="Gather"/> and <see cref="Slice"/>: images stay uint8 in memory (4x smaller, and loading 70k Fashion-MNIST
/// images does not have to touch 220 MB of fresh pages). Owns both tensors (detached from any dispose scope).
/// </summary>
public sealed class TensorDataset : IDisposable
{
    public TensorDataset(Tensor features, Tensor labels, int classCount, float scale = 1f, float shift = 0f, int tokenVocabulary = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokenVocabulary);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.shape[0] != labels.shape[0])
        {
            throw new ArgumentException($"features have {features.shape[0]} rows but labels {labels.shape[0]}", nameof(labels));
        }

        Features = features.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
        ClassCount = classCount;
        Scale = scale;
        Shift = shift;
        TokenVocabulary = tokenVocabulary;
    }

    /// <summary>
    /// Above 0 when the features are token ids below it (text): model inputs are then the ids as int64, not scaled
    /// floats, and techniques that mix or perturb input values do not apply.
    /// </summary>
    public int TokenVocabulary { get; }

    /// <summary>Whether the features are token ids (<see cref="TokenVocabulary"/> above 0).</summary>
    public bool IsTokens => TokenVocabulary > 0;

    /// <summary>Model input = stored value * Scale + Shift.</summary>
    public float Scale { get; }

    public float Shift { get; }

    private bool IsIdentity => Features.dtype == ScalarType.Float32 && Scale == 1f && Shift == 0f;

    public Tensor Features { get; }

    public Tensor Labels { get; }

    public int ClassCount { get; }

    public long Count => Labels.shape[0];

    /// <summary>The shape of one sample (features without the batch dimension).</summary>
    public long[] SampleShape => Features.shape[1..];

    /// <summary>Model inputs (float32; int64 for tokens) of the rows in <paramref name="indices"/>; a new tensor in the caller's dispose scope.</summary>
    public Tensor Gather(Tensor indices) => Normalize(Features.index_select(0, indices));

    /// <summary>Model inputs (float32) of rows [start, start + length). May be a view of the stored data: do not modify it in place.</summary>
    public Tensor Slice(long start, long length) => Normalize(Features.narrow(0, start, length));

    private Tensor Normalize(Tensor stored) => IsTokens
        ? stored.to_type(ScalarType.Int64)
        : IsIdentity ? stored : stored.to_type(ScalarType.Float32).mul_(Scale).add_(Shift);

    /// <summary>A copy on <paramref name="device"/>.</summary>
    public TensorDataset To(Device device)
    {
        using var scope = NewDisposeScope();
        return new TensorDataset(Features.to(device), Labels.to(device), ClassCount, Scale, Shift, TokenVocabulary);
    }

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
