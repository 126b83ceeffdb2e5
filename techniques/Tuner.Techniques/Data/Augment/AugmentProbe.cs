using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.Augment;

/// <summary>
/// Around augment's AfterDataLoader (first batches): every image it hands on equals its input under one shift of at most
/// <see cref="AugmentOptions.Shift"/> pixels per axis, mirrored or not (mirrored only where the suite allows it), and
/// some images changed.
/// </summary>
internal sealed class AugmentProbe(ITechnique technique) : TechniqueProbe<AugmentTechnique>(technique)
{
    private const int BatchesChecked = 3;
    private float[]? _before;
    private int _batches;
    private int _moved;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (!mine || _batches >= BatchesChecked)
        {
            return;
        }

        if (point == ObservationPoint.BeforeTechnique)
        {
            _before = ProbeValues.Of(state.Inputs!);
            return;
        }

        _batches++;
        long[] shape = state.Inputs!.shape;
        Tensor before = tensor(_before!).reshape(shape);
        Tensor after = state.Inputs!.cpu().to_type(ScalarType.Float32);
        long batch = shape[0];
        Tensor matched = zeros(batch, ScalarType.Bool);
        int s = Technique.Options.Shift;
        foreach (bool mirror in state.AllowsHorizontalFlip ? new[] { false, true } : [false])
        {
            Tensor source = mirror ? before.flip(3) : before;
            for (int dy = -s; dy <= s; dy++)
            {
                for (int dx = -s; dx <= s; dx++)
                {
                    Tensor candidate = AugmentMath.Translate(source, full(batch, dy, ScalarType.Int64), full(batch, dx, ScalarType.Int64), Math.Max(s, 1), state.Train.Shift);
                    Tensor same = candidate.sub(after).abs().amax([1, 2, 3]).le(1e-6);
                    matched = matched.logical_or(same);
                }
            }
        }

        long unmatched = batch - matched.sum().item<long>();
        Expect(unmatched == 0, $"{unmatched} of {batch} images are not a shift of at most {s} pixels{(state.AllowsHorizontalFlip ? " (mirrored or not)" : string.Empty)} of the image it got");
        _moved += before.sub(after).abs().amax([1, 2, 3]).gt(1e-6).sum().item<long>() > 0 ? 1 : 0;
        Seen++;
    }

    protected override string? Missing(TrainingOutcome outcome) =>
        Seen == 0 ? "never acted on a batch" : _moved == 0 && Technique.Options.Shift > 0 ? "no image moved in the batches checked" : null;
}
