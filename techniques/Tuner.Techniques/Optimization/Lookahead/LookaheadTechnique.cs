using TorchSharp.Modules;
using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.Lookahead;

/// <summary>
/// Keeps slow weights, copied from the weights before the first step (first AfterDataLoader); after every
/// <see cref="K"/> optimizer steps (AfterOptimizerStep, first among the step wrappers) moves them a fraction
/// <see cref="Alpha"/> toward the fast (model) weights and resets the model to them. The inner optimizer keeps its state,
/// as in the paper. Parameters that do not train (frozen by layer freezing) are left alone, as in timm's Lookahead.
/// Evaluation sees the fast weights. Copies are disposed at FitEnd.
/// </summary>
public sealed class LookaheadTechnique(int k, double alpha) : ITechnique
{
    public const string TechniqueName = "lookahead";
    private WeightCopies? _slow;
    private long _startStep;

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "Lookahead",
        Summary = "Every k steps moves slow weights alpha of the way to the fast weights and restarts the fast weights from them.",
        Paper = "Zhang, Lucas, Hinton and Ba, Lookahead Optimizer: k steps forward, 1 step back, NeurIPS 2019",
        Options =
        [
            OptionSpec.Whole("k", 5, 1, 1_000_000, "fast steps per synchronisation"),
            OptionSpec.Number("alpha", 0.5, 0, 1, "slow-weight step size"),
        ],
        Order = 700,
        Create = o => new LookaheadTechnique(o.Whole("k"), o.Number("alpha")),
        ProbeSummary = "every k steps the trainable weights become slow + alpha (fast - slow) with the slow weights tracked here from the start",
        Probe = t => new LookaheadProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    /// <summary>Fast steps per synchronisation.</summary>
    public int K { get; } = k;

    /// <summary>Slow-weight step size.</summary>
    public double Alpha { get; } = alpha;

    /// <summary>Synchronisations so far.</summary>
    public long Synchronisations { get; private set; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.AfterDataLoader => _slow is null,
        TrainingEvent.AfterOptimizerStep => _slow is not null && (state.OptimizerSteps - _startStep) % K == 0,
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
                _startStep = state.OptimizerSteps;
                Synchronisations = 0;
                break;
            case TrainingEvent.AfterOptimizerStep:
                using (TorchSharp.torch.no_grad())
                {
                    for (int i = 0; i < _slow!.Copies.Count; i++)
                    {
                        Parameter fast = _slow.Parameters[i];
                        if (fast.requires_grad)
                        {
                            LookaheadMath.Synchronize(_slow.Copies[i], fast, Alpha);
                        }
                    }
                }

                Synchronisations++;
                break;
            default:
                _slow?.Dispose();
                _slow = null;
                break;
        }
    }
}
