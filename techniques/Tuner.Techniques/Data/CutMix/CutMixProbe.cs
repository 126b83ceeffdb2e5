using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.CutMix;

/// <summary>Around cutmix's AfterDataLoader: inside the box each image is its partner's, outside it is its own; lambda is 1 - box area; cutmix is in the loss chain.</summary>
internal sealed class CutMixProbe(ITechnique technique) : MixedBatchProbe<CutMixTechnique>(technique)
{
    protected override Tensor? Permutation => Technique.Permutation;

    protected override (Tensor Mixed, string What) Expected(Tensor before, Tensor permutation, TrainingState state) =>
        (CutMixMath.Paste(before, permutation, Technique.Box), "the images with their partner's box pasted in");

    protected override string? Also(TrainingState state)
    {
        long[] shape = state.Inputs!.shape;
        double lambda = 1 - (Technique.Box.Area / (double)(shape[2] * shape[3]));
        return Math.Abs(lambda - Technique.Lambda) < 1e-12 ? null : $"lambda {Technique.Lambda} is not 1 - box area / image area = {lambda}";
    }
}
