using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.Ema;

/// <summary>
/// Keeps an exponential moving average of the weights, starting from the weights before the first step (copied at the
/// first AfterDataLoader, after every FitStart change) and updated right after every optimizer step (AfterOptimizerStep,
/// after lookahead and pruning masks: it averages the weights the next step starts from), whatever the optimizer;
/// evaluation sees the average (swapped in at EvalStart, the live weights swapped back at EvalEnd). Parameters only (the
/// models have no batch-norm buffers). Copies are disposed at FitEnd.
/// </summary>
public sealed class EmaTechnique(double decay) : ITechnique
{
    public const string TechniqueName = "ema";
    private WeightCopies? _average;

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "Ema",
        Summary = "Keeps an exponential moving average of the weights after every optimizer step and evaluates with it.",
        Paper = "Polyak and Juditsky, Acceleration of stochastic approximation by averaging, 1992; Tarvainen and Valpola, Mean teachers are better role models, NeurIPS 2017",
        Options = [OptionSpec.Number("decay", 0.999, 0, 0.999999, "weight of the old average per step")],
        Conflicts = ["swa"],
        Order = 720,
        Create = o => new EmaTechnique(o.Number("decay")),
        ProbeSummary = "evaluation sees the running average of the weights after every step (recomputed here), which differs from the live weights",
        Probe = t => new EmaProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["decay"] = "0.9" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public double Decay { get; } = decay;

    /// <summary>Updates of the average so far (one per optimizer step).</summary>
    public long Updates { get; private set; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.AfterDataLoader => _average is null,
        TrainingEvent.AfterOptimizerStep => _average is not null,
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
                Updates = 0;
                break;
            case TrainingEvent.AfterOptimizerStep:
                using (TorchSharp.torch.no_grad())
                {
                    for (int i = 0; i < _average!.Copies.Count; i++)
                    {
                        EmaMath.Update(_average.Copies[i], _average.Parameters[i], Decay);
                    }
                }

                Updates++;
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
