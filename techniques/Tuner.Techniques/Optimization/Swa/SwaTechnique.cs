using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.Swa;

/// <summary>
/// From the budget fraction <see cref="Start"/> on, averages the weights with equal weights every <see cref="Every"/>
/// optimizer steps (right after the step, AfterOptimizerStep; the first snapshot at the first step at or after the
/// start); evaluation sees the average once it holds a snapshot (swapped in at EvalStart, the live weights back at
/// EvalEnd). No batch-norm update: the models have none. Copies are disposed at FitEnd.
/// </summary>
public sealed class SwaTechnique(double start, int every) : ITechnique
{
    public const string TechniqueName = "swa";
    private WeightCopies? _average;
    private long _stepsSinceStart;

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "Swa",
        Summary = "From a budget fraction on, averages the weights with equal weights every few steps and evaluates with the average.",
        Paper = "Izmailov et al., Averaging Weights Leads to Wider Optima and Better Generalization, UAI 2018",
        Options =
        [
            OptionSpec.Number("start", 0.75, 0, 1, "budget fraction at which averaging starts"),
            OptionSpec.Whole("every", 1, 1, 1_000_000, "steps between snapshots"),
        ],
        Conflicts = ["ema"],
        ActsOverHorizon = true,
        Order = 721,
        Create = o => new SwaTechnique(o.Number("start"), o.Whole("every")),
        ProbeSummary = "evaluation sees the equal-weight average of the snapshots taken since start (recomputed here), which differs from the live weights",
        Probe = t => new SwaProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["start"] = "0.25" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    /// <summary>Budget fraction at which averaging starts.</summary>
    public double Start { get; } = start;

    /// <summary>Steps between snapshots.</summary>
    public int Every { get; } = every;

    /// <summary>Snapshots in the average so far (kept after the run; reset at FitStart).</summary>
    public long Snapshots { get; private set; }

    /// <summary>Whether the last AfterOptimizerStep took a snapshot.</summary>
    public bool TookSnapshot { get; private set; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.AfterOptimizerStep => state.ScheduleFraction >= Start,
        TrainingEvent.EvalStart => _average is not null,
        TrainingEvent.EvalEnd => _average is { IsSwappedIn: true },
        TrainingEvent.FitStart => true,
        TrainingEvent.FitEnd => _average is not null,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.AfterOptimizerStep:
                Snapshot(state);
                break;
            case TrainingEvent.EvalStart:
                _average!.SwapIn();
                break;
            case TrainingEvent.EvalEnd:
                _average!.SwapOut();
                break;
            case TrainingEvent.FitStart:
                _average?.Dispose();
                _average = null;
                _stepsSinceStart = 0;
                Snapshots = 0;
                break;
            default:
                _average?.Dispose();
                _average = null;
                break;
        }
    }

    private void Snapshot(TrainingState state)
    {
        TookSnapshot = SwaMath.TakesSnapshot(state.ScheduleFraction, Start, _stepsSinceStart, Every);
        _stepsSinceStart++;
        if (!TookSnapshot)
        {
            return;
        }

        if (_average is null)
        {
            _average = WeightCopies.Of(state.Model);
        }
        else
        {
            using (TorchSharp.torch.no_grad())
            {
                for (int i = 0; i < _average.Copies.Count; i++)
                {
                    SwaMath.Update(_average.Copies[i], _average.Parameters[i], Snapshots);
                }
            }
        }

        Snapshots++;
    }
}
