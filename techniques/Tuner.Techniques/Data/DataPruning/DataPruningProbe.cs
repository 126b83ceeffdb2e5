using Tuner.Training.Engine;

namespace Tuner.Techniques.Data.DataPruning;

/// <summary>
/// Around data_pruning's EpochStart: at the scoring epoch, the rows kept are round(keep * N) rows whose EL2N scores under
/// the model of that moment (scored again here) are all at least every dropped row's; every later epoch holds the same
/// number of distinct rows, with the same property against the scores of the scoring epoch.
/// </summary>
internal sealed class DataPruningProbe(ITechnique technique) : TechniqueProbe<DataPruningTechnique>(technique)
{
    private float[]? _scores;
    private int _count;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (!mine || trainingEvent != TrainingEvent.EpochStart)
        {
            return;
        }

        if (point == ObservationPoint.BeforeTechnique && _scores is null)
        {
            _scores = ProbeValues.Of(TrainSplitScoring.Score(state.Model, state.Train, DataPruningMath.El2n));
            _count = (int)DataPruningMath.KeptCount(Technique.Options.Keep, state.Train.Count);
            return;
        }

        if (point != ObservationPoint.AfterTechnique || _scores is null)
        {
            return;
        }

        long[] order = [.. state.EpochIndices!.cpu().data<long>()];
        var rows = order.ToHashSet();
        Expect(order.Length == _count && rows.Count == order.Length, $"the epoch holds {order.Length} rows ({rows.Count} distinct), not the {_count} kept");
        float lowestKept = rows.Min(r => _scores[r]);
        float highestDropped = Enumerable.Range(0, _scores.Length).Where(r => !rows.Contains(r)).Select(r => _scores[r]).DefaultIfEmpty(float.NegativeInfinity).Max();
        Expect(lowestKept >= highestDropped - 1e-6, $"a kept row scores {lowestKept:g4} EL2N, below a dropped row's {highestDropped:g4}");
        Seen++;
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no epoch was pruned";
}
