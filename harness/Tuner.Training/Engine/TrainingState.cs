using TorchSharp;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Workloads;
using Tuner.Training.Data;
using Tuner.Training.Optimizers;
using static TorchSharp.torch;

namespace Tuner.Training.Engine;

/// <summary>
/// Everything a technique may read or change during a run. Batch tensors (<see cref="Inputs"/>, <see cref="Targets"/>,
/// <see cref="BatchRows"/>, <see cref="Outputs"/>, <see cref="Loss"/>) live in the batch's dispose scope: a technique that
/// keeps a tensor across batches must detach it from the scope and dispose it itself. The optimizer, its learning rate and
/// the loss belong to the engine: techniques shape them only through <see cref="ILearningRateFactor"/> and
/// <see cref="ILossWrapper"/>.
/// </summary>
public sealed class TrainingState
{
    private Func<Tensor, Tensor, Tensor>? _loss;

    internal TrainingState(
        nn.Module<Tensor, Tensor> model,
        TensorDataset train,
        TensorDataset eval,
        TrainingConfiguration configuration,
        Budget budget,
        long seed,
        Device device)
    {
        Model = model;
        BatchSize = configuration.BatchSize;
        EvalEverySamples = configuration.EvalEverySamples;
        BaseLearningRate = configuration.LearningRate;
        LearningRate = configuration.LearningRate;
        BatchLoader = DefaultBatchLoader;
        Train = train;
        Eval = eval;
        Configuration = configuration;
        Budget = budget;
        Seed = seed;
        Device = device;
        Random = new Random(unchecked((int)seed));
        Generator = new Generator(unchecked((ulong)seed), new Device(DeviceType.CPU));
    }

    /// <summary>
    /// Per-sample cross-entropy: the innermost loss of every chain. For a sequence model (outputs [B, T, V], targets
    /// [B, T]) a sample's loss is the mean over its T positions.
    /// </summary>
    public static Tensor CrossEntropyPerSample(Tensor outputs, Tensor targets) =>
        outputs.dim() == 3
            ? nn.functional.cross_entropy(outputs.reshape(-1, outputs.shape[2]), targets.reshape(-1), reduction: nn.Reduction.None).view(targets.shape[0], targets.shape[1]).mean([1])
            : nn.functional.cross_entropy(outputs, targets, reduction: nn.Reduction.None);

    /// <summary>The batch's mean cross-entropy in one fused kernel (the same value as the mean of <see cref="CrossEntropyPerSample"/>: every sample has as many positions).</summary>
    public static Tensor CrossEntropyMean(Tensor outputs, Tensor targets) =>
        outputs.dim() == 3
            ? nn.functional.cross_entropy(outputs.reshape(-1, outputs.shape[2]), targets.reshape(-1))
            : nn.functional.cross_entropy(outputs, targets);

    public nn.Module<Tensor, Tensor> Model { get; internal set; }

    /// <summary>The one optimizer, built right after FitStart (so techniques can change the model at FitStart); null during FitStart.</summary>
    internal IStepOptimizer Optimizer { get; set; } = null!;

    /// <summary>The optimizer's name (the configuration's).</summary>
    public string OptimizerName => Configuration.Optimizer;

    /// <summary>Optimizer steps taken so far: exactly one per completed batch.</summary>
    public long OptimizerSteps { get; internal set; }

    /// <summary>Facts about the workload (images, residual blocks, ...), as the suite declares them.</summary>
    public WorkloadFacts Facts { get; internal set; }

    /// <summary>Evaluate on the validation split every this many training samples (and at the end). A technique may change it at FitStart (evaluation cadence).</summary>
    public long EvalEverySamples { get; set; }

    /// <summary>True during the one untimed evaluation on the test split at the end of a run (between its EvalStart and EvalEnd); false for validation.</summary>
    public bool EvaluatingTest { get; internal set; }

    /// <summary>Samples per step. A technique may change it at FitStart (e.g. large batch); read once after FitStart.</summary>
    public int BatchSize { get; set; }

    /// <summary>
    /// Micro-batches per step (gradient accumulation; 1 by default). Above 1 the engine splits each batch, after
    /// AfterDataLoader, into that many consecutive parts (at most one per row) and runs forward, loss and backward on each
    /// in turn (BeforeForward to AfterBackward fire per part, with <see cref="Inputs"/>, <see cref="Targets"/> and
    /// <see cref="BatchRows"/> the part's), each part's loss scaled by its share of the rows, so the accumulated gradient
    /// is the whole batch's mean-loss gradient; then one optimizer step on the whole batch. Activations are held for
    /// one part at a time. A technique may set it at FitStart.
    /// </summary>
    public int MicroBatches { get; set; } = 1;

    /// <summary>
    /// The row order of the current epoch (int64 indices into <see cref="Train"/>), a seeded random permutation by default.
    /// A technique may replace it at EpochStart (curriculum, data pruning, importance sampling); it may hold fewer rows
    /// than the split (a pruned epoch) or repeat rows. Lives in the epoch's dispose scope.
    /// </summary>
    public Tensor? EpochIndices { get; set; }

    /// <summary>Turns a batch of row indices into (inputs, targets). A technique may replace it (e.g. background prefetching).</summary>
    public Func<Tensor, (Tensor Inputs, Tensor Targets)> BatchLoader { get; set; }

    /// <summary>Whether the suite allows horizontally flipped images as label-preserving augmentation.</summary>
    public bool AllowsHorizontalFlip { get; internal set; }

    private (Tensor Inputs, Tensor Targets) DefaultBatchLoader(Tensor indices) => (Train.Gather(indices), Train.Labels.index_select(0, indices));

    public TensorDataset Train { get; }

    public TensorDataset Eval { get; }

    public TrainingConfiguration Configuration { get; }

    public Budget Budget { get; }

    public long Seed { get; }

    public Device Device { get; }

    /// <summary>Seeded managed random source for techniques (derived from the trial seed).</summary>
    public Random Random { get; }

    /// <summary>Seeded torch generator (CPU) for techniques and batch order.</summary>
    public Generator Generator { get; }

    public Tensor? Inputs { get; set; }

    public Tensor? Targets { get; set; }

    /// <summary>
    /// The train-split row of each sample of the batch (int64 [B], device tensor): what a technique that keeps per-row
    /// statistics (importance sampling) attributes samples to. A technique that drops samples from the batch drops their rows too.
    /// </summary>
    public Tensor? BatchRows { get; set; }

    public Tensor? Outputs { get; set; }

    public Tensor? Loss { get; set; }

    /// <summary>Names of the techniques in the loss chain, innermost first (known after FitStart).</summary>
    public IReadOnlyList<string> LossChain { get; internal set; } = [];

    /// <summary>
    /// The training loss of <paramref name="outputs"/> against <paramref name="targets"/>: the mean of the composed per-sample
    /// loss (cross-entropy wrapped by every <see cref="ILossWrapper"/>). The engine computes the batch loss with it, and so
    /// must any technique that runs its own training forward pass (SAM).
    /// </summary>
    public Tensor ComputeLoss(Tensor outputs, Tensor targets) =>
        (_loss ?? throw new InvalidOperationException("the loss is composed after FitStart"))(outputs, targets);

    internal void SetLoss(Func<Tensor, Tensor, Tensor> loss) => _loss = loss;

    /// <summary>Optimizer steps completed (batches trained).</summary>
    public long Step { get; internal set; }

    /// <summary>Zero-based epoch.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Index of the batch within the epoch.</summary>
    public int BatchInEpoch { get; internal set; }

    public long BatchesPerEpoch { get; internal set; }

    public BudgetProgress Progress { get; internal set; }

    /// <summary>Elapsed fraction of the budget in its own unit.</summary>
    public double BudgetFraction { get; internal set; }

    /// <summary>
    /// Elapsed fraction of the schedules' horizon (<see cref="TrainingConfiguration.HorizonFraction"/> of the budget, or
    /// <see cref="TrainingConfiguration.HorizonSamples"/> samples), at most 1: what schedules and budget-fraction
    /// triggers read. Equal to <see cref="BudgetFraction"/> with the default horizon of the whole budget.
    /// </summary>
    public double ScheduleFraction { get; internal set; }

    /// <summary>
    /// The rate schedules start from: the configuration's, unless a technique rescaled it at FitStart (e.g. linear or
    /// square-root scaling for a large batch).
    /// </summary>
    public double BaseLearningRate { get; set; }

    /// <summary>The learning rate of this batch's optimizer step: <see cref="BaseLearningRate"/> times every <see cref="ILearningRateFactor"/>, set by the engine before AfterDataLoader.</summary>
    public double LearningRate { get; internal set; }

    /// <summary>Each learning-rate technique's factor for this batch, in the declared order (what <see cref="LearningRate"/> is the product of).</summary>
    public IReadOnlyList<(string Technique, double Factor)> LearningRateFactors { get; internal set; } = [];

    /// <summary>The rate the optimizer holds, read back from it (NaN before it exists): after BeforeOptimizerStep, the rate it stepped with.</summary>
    public double OptimizerLearningRate => Optimizer?.LearningRate ?? double.NaN;
}
