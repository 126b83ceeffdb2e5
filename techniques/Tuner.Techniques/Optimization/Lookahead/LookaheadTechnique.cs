using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.Lookahead;

/// <summary>
/// Keeps slow weights, copied from the weights before the first step (first AfterDataLoader); after every
/// <see cref="K"/> steps (BatchEnd, counted in the run's steps since then) moves them a fraction <see cref="Alpha"/> toward the fast (model)
/// weights and resets the model to them. The inner optimizer keeps its state, as in the paper. Evaluation sees the
/// fast weights. Copies are disposed at FitEnd.
/// </summary>
public sealed class LookaheadTechnique(int k, double alpha) : ITechnique
{
    public const string TechniqueName = "lookahead";
    private WeightCopies? _slow;
    private long _startStep;

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    /// <summary>Fast steps per synchronisation.</summary>
    public int K { get; } = k;

    /// <summary>Slow-weight step size.</summary>
    public double Alpha { get; } = alpha;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.AfterDataLoader => _slow is null,
        TrainingEvent.BatchEnd => _slow is not null && state.Step > _startStep && (state.Step - _startStep) % K == 0,
        TrainingEvent.FitStart or TrainingEvent.FitEnd => _slow is not null,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.AfterDataLoader:
                _slow = WeightCopies.Of(state.Model);
                _startStep = state.Step;
                break;
            case TrainingEvent.BatchEnd:
                using (TorchSharp.torch.no_grad())
                {
                    for (int i = 0; i < _slow!.Copies.Count; i++)
                    {
                        LookaheadMath.Synchronize(_slow.Copies[i], _slow.Parameters[i], Alpha);
                    }
                }

                break;
            default:
                _slow?.Dispose();
                _slow = null;
                break;
        }
    }
}
