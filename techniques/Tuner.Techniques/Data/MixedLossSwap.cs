using Tuner.Techniques.Data.MixUp;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data;

/// <summary>
/// The loss swap shared by mixup and cutmix: at BeforeLoss the loss becomes
/// lambda * loss(out, y) + (1 - lambda) * loss(out, y[perm]) on top of whatever loss was in place; at AfterLoss the
/// previous loss comes back.
/// </summary>
internal sealed class MixedLossSwap
{
    private LossFunction? _saved;

    public bool IsSwapped => _saved is not null;

    public void Swap(TrainingState state, Tensor permutation, double lambda)
    {
        LossFunction previous = state.LossFunction;
        _saved = previous;
        state.LossFunction = (outputs, targets) => MixUpMath.MixedLoss(previous, outputs, targets, permutation, lambda);
    }

    public void Restore(TrainingState state)
    {
        state.LossFunction = _saved ?? state.LossFunction;
        _saved = null;
    }
}
