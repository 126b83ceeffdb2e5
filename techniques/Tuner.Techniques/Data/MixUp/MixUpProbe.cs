using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.MixUp;

/// <summary>Around mixup's AfterDataLoader: the batch it hands on is exactly lambda * x + (1 - lambda) * x[perm] of the one it got; mixup is in the loss chain.</summary>
internal sealed class MixUpProbe(ITechnique technique) : MixedBatchProbe<MixUpTechnique>(technique)
{
    protected override Tensor? Permutation => Technique.Permutation;

    protected override (Tensor Mixed, string What) Expected(Tensor before, Tensor permutation, TrainingState state) =>
        (before.mul(Technique.Lambda).add(before.index_select(0, permutation), 1 - Technique.Lambda), "lambda*x + (1-lambda)*x[perm]");
}
