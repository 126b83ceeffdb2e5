using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.LabelSmoothing;

/// <summary>
/// The targets the training loss pulls the logits toward carry at least alpha/K on every class. The gradient of a mean
/// cross-entropy against targets t with respect to the logits of sample i is (softmax_i - t_i) / B, so the probe keeps the
/// logits' gradient and recovers t = softmax - B * grad after backward. Where another technique reweights samples
/// (importance sampling) the probe checks instead that label smoothing is in the loss chain and that its wrapper, applied
/// to cross-entropy on this batch's logits, yields such targets.
/// </summary>
internal sealed class LabelSmoothingProbe(ITechnique technique) : TechniqueProbe<LabelSmoothingTechnique>(technique)
{
    private bool _kept;
    private long _loaded;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.AfterDataLoader && point == ObservationPoint.EventEnd)
        {
            _loaded = state.Inputs!.shape[0];
            return;
        }

        if (trainingEvent == TrainingEvent.AfterForward && point == ObservationPoint.EventEnd)
        {
            _kept = state.Outputs!.requires_grad;
            if (_kept)
            {
                state.Outputs.retain_grad();
            }

            return;
        }

        if (trainingEvent != TrainingEvent.AfterBackward || point != ObservationPoint.EventStart || !_kept)
        {
            return;
        }

        if (!Expect(state.LossChain.Contains(Technique.Name), "it is not in the loss chain"))
        {
            return;
        }

        // A sequence model's [B, T, V] logits: the loss is the mean over B x T positions, each a prediction.
        Tensor logits = state.Outputs!.detach();
        long positions = logits.dim() == 3 ? logits.shape[1] : 1;
        long classes = logits.shape[^1], batch = positions * logits.shape[0];
        Tensor targets;
        if (state.LossChain.All(n => n is LabelSmoothingTechnique.TechniqueName or "mixup" or "cutmix") && state.Outputs.grad is { } grad)
        {
            // The loss actually trained: with grad_accumulation a part's loss is scaled by its share of the loaded batch,
            // so its gradient is divided by the whole batch's predictions.
            targets = nn.functional.softmax(logits, -1).sub(grad.mul(positions * _loaded));
        }
        else
        {
            using (enable_grad())
            {
                Tensor leaf = logits.clone().requires_grad_(true);
                Technique.WrapLoss(TrainingState.CrossEntropyPerSample, state)(leaf, state.Targets!).mean().backward();
                targets = nn.functional.softmax(logits, -1).sub(leaf.grad!.mul(batch));
            }
        }

        double floor = Technique.Alpha / classes;
        double lowest = targets.min().item<float>();
        if (Expect(lowest >= floor - 1e-4, $"a target carries {lowest:g4} on some class, below alpha/K = {floor:g4}"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no training step was seen";
}
