using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.ImportanceSampling;

/// <summary>
/// After warm-up: each epoch's order is N rows drawn with replacement (some rows repeat) from the probabilities the
/// technique holds; each trained sample's loss weight is 1 / (N p) of its row (recomputed here), not all 1; the technique
/// is in the loss chain.
/// </summary>
internal sealed class ImportanceSamplingProbe(ITechnique technique) : TechniqueProbe<ImportanceSamplingTechnique>(technique)
{
    private long[] _rows = [];
    private int _sampledEpochs;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (mine && trainingEvent == TrainingEvent.EpochStart && point == ObservationPoint.AfterTechnique)
        {
            if (Technique.Probabilities().Length == 0)
            {
                return;
            }

            long[] order = [.. state.EpochIndices!.cpu().data<long>()];
            Expect(order.Length == state.Train.Count, $"the sampled epoch has {order.Length} rows, not N = {state.Train.Count}");
            Expect(order.Distinct().Count() < order.Length, "the sampled epoch repeats no row: not a draw with replacement");
            _sampledEpochs++;
            return;
        }

        if (trainingEvent == TrainingEvent.BeforeForward && point == ObservationPoint.EventStart)
        {
            _rows = [.. state.BatchRows!.cpu().data<long>()]; // the rows this forward pass trains (one part of a batch with grad_accumulation)
            return;
        }

        if (trainingEvent == TrainingEvent.AfterLoss && point == ObservationPoint.EventStart && _sampledEpochs > 0)
        {
            Expect(state.LossChain.Contains(Technique.Name), "samples by loss but is not in the loss chain (the gradient would be biased)");
            float[] p = Technique.Probabilities();
            float[] weights = Technique.LastWeights;
            if (!Expect(weights.Length == _rows.Length, $"weighted {weights.Length} samples, not the batch's {_rows.Length}"))
            {
                return;
            }

            double worst = _rows.Select((row, i) => Math.Abs(weights[i] - (1.0 / (p.Length * (double)p[row])))).DefaultIfEmpty(0).Max();
            Expect(worst <= 1e-4 * weights.Max(), $"a loss weight differs from 1/(N p) of its row by {worst:g3}");
            if (weights.Any(w => Math.Abs(w - 1) > 1e-6))
            {
                Seen++;
            }
        }
    }

    protected override string? Missing(TrainingOutcome outcome) =>
        _sampledEpochs == 0 ? "no epoch was sampled by loss" : Seen == 0 ? "no trained sample's loss was reweighted" : null;
}
