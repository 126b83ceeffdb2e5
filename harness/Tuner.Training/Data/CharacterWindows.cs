using static TorchSharp.torch;

namespace Tuner.Training.Data;

/// <summary>
/// A character corpus as next-token samples: consecutive, non-overlapping windows of <c>context</c> characters (features,
/// stored as uint8 token ids) and the same window shifted by one (labels [N, context]), so each sample trains every
/// position of a causal model. The tail shorter than a window is dropped.
/// </summary>
public static class CharacterWindows
{
    /// <summary>The windows of <paramref name="text"/>; every byte must be below <paramref name="vocabulary"/> (at most 256).</summary>
    public static TensorDataset Create(ReadOnlySpan<byte> text, int context, int vocabulary)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vocabulary, 256);
        long windows = (text.Length - 1) / context;
        if (windows < 1)
        {
            throw new ArgumentException($"a text of {text.Length} characters holds no window of {context + 1}", nameof(text));
        }

        int outside = text.IndexOfAnyExceptInRange((byte)0, (byte)(vocabulary - 1));
        if (outside >= 0)
        {
            throw new ArgumentException($"character {text[outside]} at offset {outside} is outside the vocabulary of {vocabulary}", nameof(text));
        }

        int used = checked((int)(windows * context));
        byte[] inputs = text[..used].ToArray();
        long[] targets = new long[used];
        for (int i = 0; i < used; i++)
        {
            targets[i] = text[i + 1];
        }

        using var scope = NewDisposeScope();
        return new TensorDataset(tensor(inputs, [windows, context]), tensor(targets, [windows, context]), vocabulary, tokenVocabulary: vocabulary);
    }
}
