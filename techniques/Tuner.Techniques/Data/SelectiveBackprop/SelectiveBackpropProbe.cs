using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.SelectiveBackprop;

/// <summary>
/// Around selective_backprop's AfterDataLoader: the batch it hands on is exactly the kept rows of the one it got; the
/// training forward pass (and so backward) then runs on that many rows; over the run fewer rows were trained than loaded,
/// and each batch's highest-loss row was kept more often than its lowest-loss row.
/// </summary>
internal sealed class SelectiveBackpropProbe(ITechnique technique) : TechniqueProbe<SelectiveBackpropTechnique>(technique)
{
    private float[]? _before;
    private long _rowsAfterSelection = -1;
    private int _highestKept;
    private int _lowestKept;
    private int _batchesWithSpread;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (mine && trainingEvent == TrainingEvent.AfterDataLoader)
        {
            if (point == ObservationPoint.BeforeTechnique)
            {
                _before = ProbeValues.Of(state.Inputs!);
                return;
            }

            long loaded = Technique.LastLosses.Length;
            int[] kept = Technique.LastKept;
            Tensor before = tensor(_before!).reshape([loaded, .. state.Inputs!.shape.Skip(1)]);
            Tensor expected = before.index_select(0, tensor(kept.Select(i => (long)i).ToArray()));
            double difference = ProbeValues.MaxDifference(ProbeValues.Of(expected), ProbeValues.Of(state.Inputs!));
            Expect(difference == 0, "the batch it hands on is not the kept rows of the batch it got");
            _rowsAfterSelection = kept.Length;
            float[] losses = Technique.LastLosses;
            int highest = Array.IndexOf(losses, losses.Max()), lowest = Array.IndexOf(losses, losses.Min());
            if (losses.Max() > losses.Min())
            {
                _batchesWithSpread++;
                _highestKept += kept.Contains(highest) ? 1 : 0;
                _lowestKept += kept.Contains(lowest) ? 1 : 0;
            }

            return;
        }

        if (trainingEvent == TrainingEvent.AfterForward && point == ObservationPoint.EventStart && _rowsAfterSelection >= 0)
        {
            Expect(state.Outputs!.shape[0] == _rowsAfterSelection, $"the training forward pass ran on {state.Outputs!.shape[0]} rows, not the {_rowsAfterSelection} kept");
            Expect(state.Outputs.requires_grad, "the kept rows' forward pass does not track gradients");
            _rowsAfterSelection = -1;
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome)
    {
        if (Seen == 0)
        {
            return "no batch was selected and trained";
        }

        if (Technique.Kept >= Technique.Loaded)
        {
            return $"kept all {Technique.Loaded} loaded rows: nothing was skipped";
        }

        return _batchesWithSpread >= 10 && _highestKept <= _lowestKept
            ? $"each batch's highest-loss row was kept {_highestKept} times and its lowest-loss row {_lowestKept} times in {_batchesWithSpread} batches: selection does not favour high losses"
            : null;
    }
}
