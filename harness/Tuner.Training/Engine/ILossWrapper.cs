using static TorchSharp.torch;

namespace Tuner.Training.Engine;

/// <summary>Per-sample losses of a batch: a float tensor [B] from outputs [B, classes] and targets [B].</summary>
public delegate Tensor SampleLoss(Tensor outputs, Tensor targets);

/// <summary>
/// A technique that changes the loss (label smoothing, mixup, cutmix, importance weights). It wraps the loss below it;
/// the engine builds the chain once, after FitStart, in the declared order (the first technique wraps per-sample
/// cross-entropy, the next wraps that, ...), and every forward pass that trains uses the whole chain: the engine's and
/// any technique's own (SAM's second pass), through <see cref="TrainingState.ComputeLoss"/>. The batch loss is the mean
/// of the chain's per-sample losses.
/// </summary>
public interface ILossWrapper
{
    /// <summary>The loss with this technique applied on top of <paramref name="inner"/>. Called once per run; the returned
    /// function is called for every training forward pass and may read the current batch from <paramref name="state"/>.</summary>
    SampleLoss WrapLoss(SampleLoss inner, TrainingState state);
}
