using Tuner.Core.Workloads;
using static TorchSharp.torch;

namespace Tuner.Training.Workloads;

/// <summary>
/// What Tuner trains: data, a model and what techniques may assume about them. Every built-in suite is one
/// (<c>Tuner.Suites.SuiteWorkload</c>); a user's own comes from an assembly named in a suite file:
/// <code>"workload": {"assembly": "bin/Release/net10.0/My.dll", "type": "My.Workload", "options": {}}</code>
/// and is loaded into its own load context by every command (run, search, recommend, effects, nightly, workers).
/// <para>
/// The implementing type is public, non-abstract, and has a public constructor taking a <see cref="WorkloadOptions"/>
/// (the suite file's <c>options</c>) or none. It is made once per suite file read; it should be cheap to make and do
/// its work in <see cref="LoadAsync"/> and <see cref="CreateModel"/>.
/// </para>
/// <para>
/// What Tuner provides around it (the same for built-in suites): the loss is cross-entropy over the model's logits
/// (techniques that change the loss, such as label smoothing, wrap it), and the metric is the suite's target metric,
/// computed by Tuner on the validation and test splits: <c>accuracy</c> (higher is better), <c>loss</c>,
/// <c>bits_per_char</c> or <c>perplexity</c> (lower is better). A classifier returns logits [batch, classes] for labels
/// [batch]; a sequence model returns logits [batch, positions, classes] for labels [batch, positions].
/// </para>
/// </summary>
public interface IWorkload
{
    /// <summary>
    /// What the data and model offer techniques (see <see cref="WorkloadFacts"/>); a technique that needs a fact the
    /// workload lacks is refused before training and never proposed by a search. Tuner checks the claims it can when a
    /// trial is prepared: <see cref="WorkloadFacts.Images"/> needs samples [channels, height, width],
    /// <see cref="WorkloadFacts.RealInputs"/> needs real-valued samples (not token ids),
    /// <see cref="WorkloadFacts.ResidualBlocks"/> needs <see cref="Models.ResidualBlock"/> modules in the model,
    /// <see cref="WorkloadFacts.TokenSequences"/> needs <see cref="Models.TransformerBlock"/> modules and token ids,
    /// <see cref="WorkloadFacts.Convolutions"/> needs a 2-d convolution. <see cref="WorkloadFacts.BuiltInModel"/> is
    /// reserved for the built-in model kinds.
    /// </summary>
    WorkloadFacts Facts { get; }

    /// <summary>One line describing the model, for listings (<c>tuner list suites</c>) and reports.</summary>
    string ModelDescription => GetType().Name;

    /// <summary>
    /// Loads (or makes) the three splits. Called once per process and device, before the first trial; the runner keeps
    /// the result for every later trial and disposes it at the end. Not timed.
    /// </summary>
    Task<WorkloadData> LoadAsync(WorkloadContext context, CancellationToken cancellationToken);

    /// <summary>
    /// A fresh, untrained model for <paramref name="data"/>. Tuner seeds torch with the trial seed right before the call,
    /// so initialisation from torch's generator follows the seed. Called once per trial (and once more to check the
    /// model's output shape against the labels before the first trial).
    /// </summary>
    nn.Module<Tensor, Tensor> CreateModel(WorkloadData data);

    /// <summary>
    /// Floating-point operations of one training step per sample (forward and backward; the usual estimate is 6 per
    /// weight of a dense layer, 4 for the first layer), for the model FLOPs utilisation (MFU) Tuner records. Null
    /// (the default) when unknown: MFU is then left empty, never guessed.
    /// </summary>
    double? TrainingFlopsPerSample(WorkloadData data) => null;
}
