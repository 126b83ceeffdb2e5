using TorchSharp.Modules;
using Tuner.Core.Options;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Model.MagnitudePruning;

/// <summary>
/// Gradual magnitude pruning of every Linear and Conv2d weight (biases are kept). Right after each optimizer step
/// (AfterOptimizerStep, after lookahead's synchronisation, before weight averaging) the current masks are applied to the
/// weights, so the forward pass always sees the pruned weights; a pruning event (every
/// <see cref="MagnitudePruningOptions.Every"/> steps while the scheduled sparsity grows, and once when the schedule ends)
/// then recomputes each trainable weight's mask at the scheduled sparsity (<see cref="MagnitudePruningMath"/>) from the
/// masked weights, so a pruned weight stays pruned; a frozen weight (layer freezing) keeps the mask it had. The masks are
/// owned here (detached from the batch scope) and disposed at FitEnd. Dense kernels do not run faster on zeros: on CPU
/// it saves nothing by itself.
/// </summary>
public sealed class MagnitudePruningTechnique(MagnitudePruningOptions options) : ITechnique
{
    public const string TechniqueName = "magnitude_pruning";
    private readonly Dictionary<Parameter, Tensor> _masks = new(ReferenceEqualityComparer.Instance);
    private IReadOnlyList<Parameter> _weights = [];

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Model,
        Folder = "MagnitudePruning",
        Summary = "Gradual magnitude pruning: the smallest-magnitude Linear/Conv2d weights are masked to zero, sparsity rising on a cubic schedule " +
            "from start to end of the budget (dense kernels: no speed-up on CPU by itself).",
        Paper = "Zhu and Gupta, To prune, or not to prune: exploring the efficacy of pruning for model compression, 2017",
        Options =
        [
            OptionSpec.Number("sparsity", 0.5, 0, 0.99, "final fraction of each weight tensor pruned"),
            OptionSpec.Number("start", 0.1, 0, 1, "budget fraction where pruning starts"),
            OptionSpec.Number("end", 0.7, 0, 1, "budget fraction where the final sparsity is reached (not before start)"),
            OptionSpec.Whole("every", 50, 1, 1_000_000, "optimizer steps between pruning events"),
        ],
        ActsOverHorizon = true,
        Order = 710,
        Create = o => new MagnitudePruningTechnique(new MagnitudePruningOptions
        {
            Sparsity = o.Number("sparsity"),
            Start = o.Number("start"),
            End = o.Number("end"),
            Every = o.Whole("every"),
        }),
        ProbeSummary = "after each step the weights it prunes hold at least the scheduled fraction of exact zeros, and the sparsity reached is above 0",
        Probe = t => new MagnitudePruningProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["start"] = "0", ["every"] = "1" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Model;

    public MagnitudePruningOptions Options { get; } = (options ?? throw new ArgumentNullException(nameof(options))).Validate();

    /// <summary>The sparsity of the latest masks (0 before the first pruning event).</summary>
    public double AppliedSparsity { get; private set; }

    /// <summary>The sparsity each weight's mask has (frozen weights keep an earlier one).</summary>
    public IReadOnlyDictionary<Parameter, double> MaskSparsity => _sparsity;

    private readonly Dictionary<Parameter, double> _sparsity = new(ReferenceEqualityComparer.Instance);

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.FitStart => true,
        TrainingEvent.AfterOptimizerStep => _masks.Count > 0 || IsPruningEvent(state),
        TrainingEvent.FitEnd => _masks.Count > 0,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                DisposeMasks();
                AppliedSparsity = 0;
                _weights = [.. ModelLayers.Parametric(state.Model).Select(ModelLayers.Weight)];
                break;
            case TrainingEvent.AfterOptimizerStep:
                ApplyMasks();
                if (IsPruningEvent(state))
                {
                    Prune(Target(state)); // from the masked weights: a pruned weight (now zero) stays pruned
                    ApplyMasks();
                }

                break;
            case TrainingEvent.FitEnd:
                DisposeMasks();
                break;
        }
    }

    private double Target(TrainingState state) => MagnitudePruningMath.Sparsity(state.ScheduleFraction, Options.Sparsity, Options.Start, Options.End);

    private bool IsPruningEvent(TrainingState state) =>
        Target(state) > AppliedSparsity && (state.OptimizerSteps % Options.Every == 0 || state.ScheduleFraction >= Options.End);

    private void Prune(double sparsity)
    {
        foreach (Parameter weight in _weights.Where(w => w.requires_grad))
        {
            Tensor mask = MagnitudePruningMath.Mask(weight, sparsity).DetachFromDisposeScope();
            if (_masks.Remove(weight, out Tensor? old))
            {
                old.Dispose();
            }

            _masks[weight] = mask;
            _sparsity[weight] = sparsity;
        }

        AppliedSparsity = sparsity;
    }

    private void ApplyMasks()
    {
        using (no_grad())
        {
            foreach ((Parameter weight, Tensor mask) in _masks)
            {
                weight.mul_(mask);
            }
        }
    }

    private void DisposeMasks()
    {
        foreach (Tensor mask in _masks.Values)
        {
            mask.Dispose();
        }

        _masks.Clear();
        _sparsity.Clear();
    }
}
