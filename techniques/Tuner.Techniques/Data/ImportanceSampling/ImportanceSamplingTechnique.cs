using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.ImportanceSampling;

/// <summary>
/// Loss-based importance sampling. Keeps a loss estimate per train row (ln(classes) until the row is seen; then the
/// per-sample cross-entropy of its latest forward pass, read at AfterForward without gradients). From epoch
/// <see cref="ImportanceSamplingOptions.WarmupEpochs"/> on, each EpochStart replaces the epoch order with N rows drawn
/// with replacement with probability proportional to estimate + smoothing (torch.multinomial on the seeded generator).
/// The estimates are one detached CPU tensor [N], disposed at FitEnd (or by <see cref="Dispose"/> after a run that failed
/// before FitEnd). The loss is not reweighted (hard rows are favoured, as in Loshchilov and Hutter's online batch selection).
/// </summary>
public sealed class ImportanceSamplingTechnique(ImportanceSamplingOptions options) : ITechnique, IDisposable
{
    public const string TechniqueName = "importance_sampling";
    private Tensor? _estimates;
    private int _batchSize = 1;

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public ImportanceSamplingOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>A copy of the current loss estimates (empty outside a run).</summary>
    public float[] LossEstimates() => _estimates is null ? [] : _estimates.data<float>().ToArray();

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
                _estimates?.Dispose();
                _estimates = full(state.Train.Count, ImportanceSamplingMath.InitialEstimate(state.Train.ClassCount), ScalarType.Float32).DetachFromDisposeScope();
                break;
            case TrainingEvent.EpochStart:
                _batchSize = Math.Max(1, state.BatchSize); // what the trainer batches this epoch by (read once after FitStart)
                if (state.Epoch >= Options.WarmupEpochs && _estimates is not null)
                {
                    Tensor rows = ImportanceSamplingMath.Sample(_estimates, Options.Smoothing, state.Train.Count, state.Generator); // the epoch's scope owns it
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

    /// <summary>Frees the estimates if a run ended without FitEnd (a failed trial).</summary>
    public void Dispose()
    {
        _estimates?.Dispose();
        _estimates = null;
    }

    private void Record(TrainingState state)
    {
        if (state.EpochIndices is not { } order || state.Outputs is not { } outputs || state.Targets is not { } targets)
        {
            return;
        }

        long start = (long)state.BatchInEpoch * _batchSize;
        long length = outputs.shape[0];
        if (start >= order.shape[0] || length != Math.Min(_batchSize, order.shape[0] - start))
        {
            return; // the batch is not the trainer's slice of the epoch order (another technique reshaped it): nothing to attribute
        }

        using (no_grad())
        {
            Tensor losses = nn.functional.cross_entropy(outputs.detach(), targets, reduction: nn.Reduction.None); // the batch's scope owns these
            ImportanceSamplingMath.Update(_estimates!, order.narrow(0, start, length), losses);
        }
    }
}
