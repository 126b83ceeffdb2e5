using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.LargeBatch;

/// <summary>Each loaded batch holds factor times the recipe's batch (or the epoch's remainder), and the base rate is the recipe's times factor^lr_power.</summary>
internal sealed class LargeBatchProbe(ITechnique technique) : TechniqueProbe<LargeBatchTechnique>(technique)
{
    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.AfterDataLoader || point != ObservationPoint.EventStart)
        {
            return;
        }

        long rows = state.Inputs!.shape[0];
        int expected = state.Configuration.BatchSize * Technique.Factor;
        double rate = LargeBatchMath.LearningRate(state.Configuration.LearningRate, Technique.Factor, Technique.LearningRatePower);
        long remaining = state.EpochIndices!.shape[0] - ((long)state.BatchInEpoch * expected);
        if (Expect(rows == Math.Min(expected, remaining), $"a batch holds {rows} samples, not {expected}") &&
            Expect(Math.Abs(state.BaseLearningRate - rate) <= 1e-12 * rate, $"the base rate is {state.BaseLearningRate}, not {rate}"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no batch was loaded";
}
