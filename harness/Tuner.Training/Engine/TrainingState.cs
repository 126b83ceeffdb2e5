using TorchSharp;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Training.Data;
using static TorchSharp.torch;

namespace Tuner.Training.Engine;

/// <summary>Computes a scalar loss from model outputs and targets.</summary>
public delegate Tensor LossFunction(Tensor outputs, Tensor targets);

/// <summary>
/// Everything a technique may read or change during a run. Batch tensors (<see cref="Inputs"/>, <see cref="Targets"/>,
/// <see cref="Outputs"/>, <see cref="Loss"/>) live in the batch's dispose scope: a technique that keeps a tensor
/// across batches must detach it from the scope and dispose it itself.
/// </summary>
public sealed class TrainingState
{
    public static readonly LossFunction CrossEntropy = (outputs, targets) => nn.functional.cross_entropy(outputs, targets);

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
        EvalEverySteps = configuration.EvalEverySteps;
        BaseLearningRate = configuration.LearningRate;
        BatchLoader = DefaultBatchLoader;
        Train = train;
        Eval = eval;
        Configuration = configuration;
        Budget = budget;
        Seed = seed;
        Device = device;
        Random = new Random(unchecked((int)seed));
        Generator = new Generator(unchecked((ulong)seed), new Device(DeviceType.CPU));
        LossFunction = CrossEntropy;
    }

    public nn.Module<Tensor, Tensor> Model { get; internal set; }

    /// <summary>
    /// The optimizer. Built from the configuration right after FitStart, so that techniques can change the model
    /// (dtype, memory format, initialisation, freezing) at FitStart; null during FitStart.
    /// </summary>
    public optim.Optimizer Optimizer { get; internal set; } = null!;

    /// <summary>Evaluate every this many steps (and at the end). A technique may change it at FitStart (evaluation cadence).</summary>
    public int EvalEverySteps { get; set; }

    /// <summary>Samples per step. A technique may change it at FitStart (e.g. large batch); read once after FitStart.</summary>
    public int BatchSize { get; set; }

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

    /// <summary>The loss function for this batch; a technique may replace it at BeforeLoss and restore it at AfterLoss.</summary>
    public LossFunction LossFunction { get; set; }

    public Tensor? Inputs { get; set; }

    public Tensor? Targets { get; set; }

    public Tensor? Outputs { get; set; }

    public Tensor? Loss { get; set; }

    /// <summary>Optimizer steps completed.</summary>
    public long Step { get; internal set; }

    /// <summary>Zero-based epoch.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Index of the batch within the epoch.</summary>
    public int BatchInEpoch { get; internal set; }

    public long BatchesPerEpoch { get; internal set; }

    public BudgetProgress Progress { get; internal set; }

    /// <summary>Elapsed fraction of the budget in its own unit: what budget-aware schedules read.</summary>
    public double BudgetFraction { get; internal set; }

    /// <summary>
    /// The learning rate schedules start from: the configuration's, unless a technique rescaled it at FitStart
    /// (e.g. linear or square-root scaling for a large batch).
    /// </summary>
    public double BaseLearningRate { get; set; }

    /// <summary>Sets the learning rate of every parameter group.</summary>
    public void SetLearningRate(double learningRate)
    {
        foreach (optim.ILearningRateController group in Optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }

    public double CurrentLearningRate => Optimizer.ParamGroups.First().LearningRate;

    /// <summary>Techniques may ask the trainer to skip the optimizer step of this batch (e.g. selective backprop of nothing).</summary>
    public bool SkipStep { get; set; }
}
