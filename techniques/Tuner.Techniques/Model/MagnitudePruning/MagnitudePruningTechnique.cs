using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Model.MagnitudePruning;

/// <summary>
/// Gradual magnitude pruning of every Linear and Conv2d weight (biases are kept). At BatchEnd, after the optimizer step, the
/// current masks are applied to the weights, so the forward pass always sees the pruned weights; a pruning event (every
/// <see cref="MagnitudePruningOptions.Every"/> steps while the scheduled sparsity grows, and once when the schedule ends)
/// then recomputes each weight's mask at the scheduled sparsity (<see cref="MagnitudePruningMath"/>) from the masked weights,
/// so a pruned weight stays pruned. The masks are owned here (detached from the batch scope) and disposed at FitEnd. Dense
/// kernels do not run faster on zeros: on CPU it saves nothing by itself.
/// </summary>
public sealed class MagnitudePruningTechnique(MagnitudePruningOptions options) : ITechnique
{
    public const string TechniqueName = "magnitude_pruning";
    private readonly List<(Tensor Weight, Tensor Mask)> _masks = [];
    private IReadOnlyList<Tensor> _weights = [];

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Model;

    public MagnitudePruningOptions Options { get; } = (options ?? throw new ArgumentNullException(nameof(options))).Validate();

    /// <summary>The sparsity of the current masks (0 before the first pruning event).</summary>
    public double AppliedSparsity { get; private set; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.FitStart => true,
        TrainingEvent.BatchEnd => _masks.Count > 0 || IsPruningEvent(state),
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
            case TrainingEvent.BatchEnd:
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

    private double Target(TrainingState state) => MagnitudePruningMath.Sparsity(state.BudgetFraction, Options.Sparsity, Options.Start, Options.End);

    private bool IsPruningEvent(TrainingState state) =>
        Target(state) > AppliedSparsity && (state.Step % Options.Every == 0 || state.BudgetFraction >= Options.End);

    private void Prune(double sparsity)
    {
        DisposeMasks();
        foreach (Tensor weight in _weights)
        {
            _masks.Add((weight, MagnitudePruningMath.Mask(weight, sparsity).DetachFromDisposeScope()));
        }

        AppliedSparsity = sparsity;
    }

    private void ApplyMasks()
    {
        using (no_grad())
        {
            foreach ((Tensor weight, Tensor mask) in _masks)
            {
                weight.mul_(mask);
            }
        }
    }

    private void DisposeMasks()
    {
        _masks.ForEach(m => m.Mask.Dispose());
        _masks.Clear();
    }
}
