using TorchSharp;
using Tuner.Training.Data;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data;

/// <summary>
/// Per-example scores of the whole train split under the current model, computed without gradients in chunks: what
/// curriculum learning and data pruning rank rows by. The time it takes is training work (charged to the budget).
/// </summary>
public static class TrainSplitScoring
{
    /// <summary>Rows per forward pass while scoring.</summary>
    public const int DefaultChunkRows = 1024;

    /// <summary>
    /// <paramref name="perSample"/>(logits, labels) for every row of <paramref name="train"/> in row order: a float32 CPU
    /// tensor [N] in the caller's dispose scope. The model runs in eval mode and is put back in the mode it was in.
    /// </summary>
    public static Tensor Score(nn.Module<Tensor, Tensor> model, TensorDataset train, Func<Tensor, Tensor, Tensor> perSample, int chunkRows = DefaultChunkRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(perSample);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkRows);
        bool wasTraining = model.training;
        var parts = new List<Tensor>();
        model.eval();
        try
        {
            using (no_grad())
            {
                for (long start = 0; start < train.Count; start += chunkRows)
                {
                    using DisposeScope chunk = NewDisposeScope();
                    long length = Math.Min(chunkRows, train.Count - start);
                    Tensor logits = model.call(train.Slice(start, length));
                    Tensor scores = perSample(logits, train.Labels.narrow(0, start, length)).to(CPU).to_type(ScalarType.Float32);
                    parts.Add(scores.DetachFromDisposeScope());
                }
            }

            return parts.Count == 0 ? zeros(0) : cat(parts, 0);
        }
        finally
        {
            parts.ForEach(p => p.Dispose());
            if (wasTraining)
            {
                model.train();
            }
        }
    }

    /// <summary>Per-example cross-entropy (reduction none).</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels) => Training.Engine.TrainingState.CrossEntropyPerSample(logits, labels);
}
