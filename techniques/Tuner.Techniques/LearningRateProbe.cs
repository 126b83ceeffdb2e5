using Tuner.Training.Engine;

namespace Tuner.Techniques;

/// <summary>
/// The probe of a learning-rate technique (schedules, warm-up): before each batch its factor is the one its formula gives
/// at that batch's step and budget fraction, the step's rate is the base rate times every technique's factor, the
/// optimizer is stepped at exactly that rate (read back from it), and the factor changed during the run.
/// </summary>
/// <typeparam name="T">The technique watched.</typeparam>
internal sealed class LearningRateProbe<T>(ITechnique technique, Func<T, TrainingState, double> expectedFactor) : TechniqueProbe<T>(technique)
    where T : class, ITechnique, ILearningRateFactor
{
    private readonly HashSet<double> _factors = [];
    private double _rate = double.NaN;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.AfterDataLoader && point == ObservationPoint.EventStart)
        {
            double factor = state.LearningRateFactors.Where(f => f.Technique == Technique.Name).Select(f => f.Factor).DefaultIfEmpty(double.NaN).First();
            double expected = expectedFactor(Technique, state);
            double product = state.BaseLearningRate * state.LearningRateFactors.Aggregate(1.0, (p, f) => p * f.Factor);
            if (Expect(Close(factor, expected), $"its factor at step {state.Step} (schedule at {state.ScheduleFraction:0.###}) is {factor}, not {expected}") &&
                Expect(Close(state.LearningRate, product), $"the step's rate {state.LearningRate} is not the base rate times the factors ({product})"))
            {
                _factors.Add(factor);
                _rate = state.LearningRate;
            }

            return;
        }

        if (trainingEvent == TrainingEvent.AfterOptimizerStep && point == ObservationPoint.EventStart && !double.IsNaN(_rate))
        {
            if (Expect(Close(state.OptimizerLearningRate, _rate), $"the optimizer stepped at {state.OptimizerLearningRate}, not the scheduled {_rate}"))
            {
                Seen++;
            }

            _rate = double.NaN;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) =>
        Seen == 0 ? "no step was taken at its rate" : _factors.Count < 2 ? $"its factor never changed over {Seen} steps" : null;

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1e-12, Math.Max(Math.Abs(a), Math.Abs(b)));
}
