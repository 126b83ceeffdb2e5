using static TorchSharp.torch;

namespace Tuner.Techniques.Systems.Prefetch;

/// <summary>A batch gathered ahead of time on the prefetch thread, which owns (and disposes) its tensors.</summary>
internal sealed class PreparedBatch(long[] indices, Tensor inputs, Tensor targets, int threadId) : IDisposable
{
    /// <summary>The rows it holds, in order.</summary>
    public long[] Indices { get; } = indices;

    public Tensor Inputs { get; } = inputs;

    public Tensor Targets { get; } = targets;

    /// <summary>Managed id of the thread that gathered it.</summary>
    public int ThreadId { get; } = threadId;

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}
