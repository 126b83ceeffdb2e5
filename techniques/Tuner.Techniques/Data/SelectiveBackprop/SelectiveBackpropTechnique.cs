using TorchSharp;
using Tuner.Core.Options;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.SelectiveBackprop;

/// <summary>
/// Selective Backprop (Jiang et al. 2019). At AfterDataLoader the whole batch is forwarded without gradients (charged:
/// it is training work) and each sample's cross-entropy is ranked against the last <see cref="History"/> losses; a sample is
/// kept with probability percentile^beta (<see cref="SelectiveBackpropMath"/>), at least one per batch. The batch is cut
/// to the kept samples (inputs, targets and rows), so the training forward and backward run on them only: the saving is
/// the backward (and forward with gradients) of the dropped samples, against one extra forward pass without gradients.
/// Unlike the paper, kept samples are not pooled across batches into full batches: each step trains on its own kept
/// samples (about B / (beta + 1) of them).
/// </summary>
public sealed class SelectiveBackpropTechnique(double beta, int history) : ITechnique
{
    public const string TechniqueName = "selective_backprop";
    private readonly Queue<float> _recent = new();

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Data,
        Folder = "SelectiveBackprop",
        Summary = "Forwards each batch without gradients, keeps each sample with probability (loss percentile)^beta among recent losses, and trains (forward and backward) on the kept samples only.",
        Paper = "Jiang et al., Accelerating Deep Learning by Focusing on the Biggest Losers, arXiv 1910.00762, 2019",
        Options =
        [
            OptionSpec.Number("beta", 1, 0, 20, "selectivity: keep probability percentile^beta (1 keeps about a half, 2 a third, 3 a quarter)"),
            OptionSpec.Whole("history", 1024, 1, 1_000_000, "recent per-sample losses the percentile is taken over"),
        ],
        Conflicts = ["grad_accumulation"],
        Order = 410,
        Create = o => new SelectiveBackpropTechnique(o.Number("beta"), o.Whole("history")),
        ProbeSummary = "the training forward and backward run on the kept rows only (fewer than loaded), which are exactly rows of the loaded batch, and a batch's highest-loss row is kept more often than its lowest",
        Probe = t => new SelectiveBackpropProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    /// <summary>Selectivity: a sample is kept with probability percentile^beta.</summary>
    public double Beta { get; } = beta;

    /// <summary>How many recent losses the percentile is taken over.</summary>
    public int History { get; } = history;

    /// <summary>Samples loaded and samples kept so far.</summary>
    public long Loaded { get; private set; }

    public long Kept { get; private set; }

    /// <summary>The current batch's per-sample losses (as loaded) and the indices kept (into the loaded batch); for probes.</summary>
    public float[] LastLosses { get; private set; } = [];

    public int[] LastKept { get; private set; } = [];

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent is TrainingEvent.FitStart or TrainingEvent.AfterDataLoader;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent == TrainingEvent.FitStart)
        {
            _recent.Clear();
            Loaded = 0;
            Kept = 0;
            return;
        }

        Tensor inputs = state.Inputs ?? throw new InvalidOperationException("selective_backprop: no inputs at AfterDataLoader");
        float[] losses;
        using (no_grad())
        {
            using DisposeScope scope = NewDisposeScope();
            losses = ProbeValues.Of(TrainingState.CrossEntropyPerSample(state.Model.call(inputs), state.Targets!));
        }

        float[] history = _recent.Count > 0 ? [.. _recent] : [.. losses];
        Array.Sort(history);
        double[] draws = [.. losses.Select(_ => state.Random.NextDouble())];
        int[] kept = SelectiveBackpropMath.Select(losses, history, Beta, draws);
        foreach (float loss in losses)
        {
            _recent.Enqueue(loss);
            if (_recent.Count > History)
            {
                _recent.Dequeue();
            }
        }

        LastLosses = losses;
        LastKept = kept;
        Loaded += losses.Length;
        Kept += kept.Length;
        if (kept.Length == losses.Length)
        {
            return;
        }

        Tensor rows = tensor(kept.Select(i => (long)i).ToArray()).to(inputs.device); // the batch's scope owns these
        state.Inputs = inputs.index_select(0, rows);
        state.Targets = state.Targets!.index_select(0, rows);
        state.BatchRows = state.BatchRows?.index_select(0, rows);
    }
}
