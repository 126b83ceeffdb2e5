using TorchSharp;
using Tuner.Core.Options;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.ImportanceSampling;

/// <summary>
/// Loss-based importance sampling with unbiased reweighting (Katharopoulos and Fleuret, ICML 2018). Keeps a loss
/// estimate per train row (ln(classes) until the row is seen; then the per-sample cross-entropy of its latest training
/// forward pass, read at AfterForward through <see cref="TrainingState.BatchRows"/>). From epoch
/// <see cref="ImportanceSamplingOptions.WarmupEpochs"/> on, each EpochStart draws the epoch's N rows with replacement
/// with p_i proportional to estimate + smoothing, and the loss wrapper multiplies each sample's loss by
/// w_i = 1 / (N p_i), so the expected gradient is the full-data gradient. Estimates and probabilities are detached CPU
/// tensors [N], disposed at FitEnd (or by <see cref="Dispose"/> after a run that failed before FitEnd).
/// </summary>
public sealed class ImportanceSamplingTechnique(ImportanceSamplingOptions options) : ITechnique, ILossWrapper, IDisposable
{
    public const string TechniqueName = "importance_sampling";
    private Tensor? _estimates;
    private Tensor? _probabilities;

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Data,
        Folder = "ImportanceSampling",
        Summary = "Draws each epoch's rows with replacement in proportion to their latest loss plus smoothing, and weights each sample's loss by 1/(N p) so the gradient stays unbiased.",
        Paper = "Katharopoulos and Fleuret, Not All Samples Are Created Equal: Deep Learning with Importance Sampling, ICML 2018",
        Options =
        [
            OptionSpec.Whole("warmup_epochs", 1, 0, 1000, "epochs in random order before sampling by loss"),
            OptionSpec.Number("smoothing", 0.1, 1e-6, 1000, "added to every loss estimate"),
        ],
        Conflicts = ["curriculum", "data_pruning"],
        Order = 430,
        Create = o => new ImportanceSamplingTechnique(new ImportanceSamplingOptions { WarmupEpochs = o.Whole("warmup_epochs"), Smoothing = o.Number("smoothing") }),
        ProbeSummary = "after warm-up each epoch is N draws with replacement, and each trained sample's loss weight is 1/(N p) of its row",
        Probe = t => new ImportanceSamplingProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["warmup_epochs"] = "0" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public ImportanceSamplingOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>A copy of the current loss estimates (empty outside a run).</summary>
    public float[] LossEstimates() => _estimates is null ? [] : ProbeValues.Of(_estimates);

    /// <summary>A copy of this epoch's sampling probabilities (empty in warm-up epochs and outside a run).</summary>
    public float[] Probabilities() => _probabilities is null ? [] : ProbeValues.Of(_probabilities);

    /// <summary>The loss weights of the last training forward pass (empty when it was not reweighted).</summary>
    public float[] LastWeights { get; private set; } = [];

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.FitStart or TrainingEvent.EpochStart or TrainingEvent.FitEnd => true,
        TrainingEvent.AfterForward => _estimates is not null,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                Dispose();
                _estimates = full(state.Train.Count, ImportanceSamplingMath.InitialEstimate(state.Train.ClassCount), ScalarType.Float32).DetachFromDisposeScope();
                break;
            case TrainingEvent.EpochStart:
                _probabilities?.Dispose();
                _probabilities = null;
                if (state.Epoch >= Options.WarmupEpochs && _estimates is not null)
                {
                    _probabilities = ImportanceSamplingMath.Probabilities(_estimates, Options.Smoothing).DetachFromDisposeScope();
                    Tensor rows = multinomial(_probabilities, state.Train.Count, replacement: true, generator: state.Generator); // the epoch's scope owns it
                    state.EpochIndices = rows.to(state.Device);
                }

                break;
            case TrainingEvent.AfterForward:
                Record(state);
                break;
            case TrainingEvent.FitEnd:
                Dispose();
                break;
        }
    }

    public SampleLoss WrapLoss(SampleLoss inner, TrainingState state) => (outputs, targets) =>
    {
        Tensor losses = inner(outputs, targets);
        if (_probabilities is null || state.BatchRows is not { } rows)
        {
            LastWeights = [];
            return losses;
        }

        using DisposeScope scope = NewDisposeScope();
        Tensor weights = ImportanceSamplingMath.UnbiasingWeights(_probabilities, rows).to(losses.device).to_type(losses.dtype);
        LastWeights = ProbeValues.Of(weights);
        return losses.mul(weights).MoveToOuterDisposeScope();
    };

    /// <summary>Frees the estimates if a run ended without FitEnd (a failed trial).</summary>
    public void Dispose()
    {
        _estimates?.Dispose();
        _estimates = null;
        _probabilities?.Dispose();
        _probabilities = null;
    }

    private void Record(TrainingState state)
    {
        if (state.BatchRows is not { } rows || state.Outputs is not { } outputs || state.Targets is not { } targets || rows.shape[0] != outputs.shape[0])
        {
            return;
        }

        using (no_grad())
        {
            Tensor losses = TrainingState.CrossEntropyPerSample(outputs.detach(), targets); // the batch's scope owns these
            ImportanceSamplingMath.Update(_estimates!, rows, losses);
        }
    }
}
