using TorchSharp;
using Tuner.Core.Options;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.DataPruning;

/// <summary>
/// EL2N data pruning: at the start of epoch <see cref="DataPruningOptions.ScoreEpoch"/> every train row is scored by
/// ||softmax(f(x)) - onehot(y)||2 under the current model (no gradients, in chunks; charged, since it is training work),
/// and that epoch and every later one trains on the round(keep * N) highest-scoring rows only, shuffled each epoch with
/// the seeded generator. The kept rows are held as a managed array (no tensor outlives the epoch).
/// </summary>
public sealed class DataPruningTechnique(DataPruningOptions options) : ITechnique
{
    public const string TechniqueName = "data_pruning";
    private long[]? _kept;

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Data,
        Folder = "DataPruning",
        Summary = "Scores every row by EL2N (||softmax - onehot||) at the start of an early epoch and trains from then on only on the hardest kept fraction.",
        Paper = "Paul, Ganguli and Dziugaite, Deep Learning on a Data Diet: Finding Important Examples Early in Training, NeurIPS 2021",
        Options =
        [
            OptionSpec.Number("keep", 0.7, 1e-6, 1, "fraction of rows kept"),
            OptionSpec.Whole("score_epoch", 1, 0, 1000, "epoch at whose start rows are scored (0: the initial model)"),
        ],
        Conflicts = ["curriculum", "importance_sampling"],
        Order = 301,
        Create = o => new DataPruningTechnique(new DataPruningOptions { Keep = o.Number("keep"), ScoreEpoch = o.Whole("score_epoch") }),
        ProbeSummary = "from the scoring epoch on, every epoch trains on exactly the round(keep * N) rows with the highest EL2N under the model at scoring time",
        Probe = t => new DataPruningProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["score_epoch"] = "0" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public DataPruningOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The kept rows (null before the scoring epoch).</summary>
    public IReadOnlyList<long>? KeptRows => _kept;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent == TrainingEvent.FitStart || (trainingEvent == TrainingEvent.EpochStart && state.Epoch >= Options.ScoreEpoch);

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent == TrainingEvent.FitStart)
        {
            _kept = null;
            return;
        }

        _kept ??= Score(state);
        using Tensor kept = tensor(_kept);
        using Tensor shuffle = randperm(_kept.Length, generator: state.Generator);
        using Tensor order = kept.index_select(0, shuffle);
        state.EpochIndices = order.to(state.Device); // the epoch's scope owns it
    }

    private long[] Score(TrainingState state)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor scores = TrainSplitScoring.Score(state.Model, state.Train, DataPruningMath.El2n);
        Tensor hardest = DataPruningMath.HardestRows(scores, DataPruningMath.KeptCount(Options.Keep, state.Train.Count));
        return hardest.data<long>().ToArray();
    }
}
