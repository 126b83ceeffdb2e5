using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.Ema;

/// <summary>
/// Keeps an exponential moving average of the weights, starting from the weights before the first step (copied at
/// the first AfterDataLoader, after every FitStart change) and updated after each optimizer step (BatchEnd);
/// evaluation sees the average (swapped in at EvalStart, the live weights swapped back at EvalEnd). Parameters only
/// (the models have no batch-norm buffers). Copies are disposed at FitEnd.
/// </summary>
public sealed class EmaTechnique(double decay) : ITechnique
{
    public const string TechniqueName = "ema";
    private WeightCopies? _average;

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public double Decay { get; } = decay;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.AfterDataLoader => _average is null,
        TrainingEvent.BatchEnd => _average is not null && !state.SkipStep,
        TrainingEvent.EvalStart => _average is not null,
        TrainingEvent.EvalEnd => _average is { IsSwappedIn: true },
        TrainingEvent.FitStart or TrainingEvent.FitEnd => _average is not null,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.AfterDataLoader:
                _average = WeightCopies.Of(state.Model);
                break;
            case TrainingEvent.BatchEnd:
                using (TorchSharp.torch.no_grad())
                {
                    for (int i = 0; i < _average!.Copies.Count; i++)
                    {
                        EmaMath.Update(_average.Copies[i], _average.Parameters[i], Decay);
                    }
                }

                break;
            case TrainingEvent.EvalStart:
                _average!.SwapIn();
                break;
            case TrainingEvent.EvalEnd:
                _average!.SwapOut();
                break;
            default:
                _average?.Dispose();
                _average = null;
                break;
        }
    }
}
