using TorchSharp.Modules;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Model.LayerFreezing;

/// <summary>
/// Progressively freezes the parametric layers (Linear, Conv2d) from the first, on FreezeOut's schedule
/// (<see cref="LayerFreezingMath"/>); the head trains to the end. A layer frozen at BeforeForward no longer requires
/// gradients, so backward neither computes its gradients nor back-propagates below the lowest trained layer; its gradients
/// are cleared, so the optimizer skips it (momentum and weight decay do not move it either). FitEnd unfreezes every layer.
/// FreezeOut's per-layer learning-rate annealing is not applied: the run has one parameter group.
/// </summary>
public sealed class LayerFreezingTechnique(LayerFreezingOptions options) : ITechnique
{
    public const string TechniqueName = "layer_freezing";
    private IReadOnlyList<nn.Module<Tensor, Tensor>> _layers = [];
    private IReadOnlyList<double> _freezeAt = [];
    private int _frozen;

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Model;

    public LayerFreezingOptions Options { get; } = (options ?? throw new ArgumentNullException(nameof(options))).Validate();

    /// <summary>How many of the first layers are frozen now.</summary>
    public int FrozenLayers => _frozen;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.FitStart => true,
        TrainingEvent.BeforeForward => _frozen < _freezeAt.Count && _freezeAt[_frozen] <= state.BudgetFraction,
        TrainingEvent.FitEnd => _frozen > 0,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                IReadOnlyList<nn.Module<Tensor, Tensor>> layers = ModelLayers.Parametric(state.Model);
                _layers = [.. layers.Take(Math.Max(0, layers.Count - 1))]; // all but the head
                _freezeAt = LayerFreezingMath.FreezeFractions(_layers.Count, Options.T0, Options.Cubic);
                _frozen = 0;
                break;
            case TrainingEvent.BeforeForward:
                while (_frozen < _freezeAt.Count && _freezeAt[_frozen] <= state.BudgetFraction)
                {
                    foreach (Parameter parameter in ModelLayers.Parameters(_layers[_frozen]))
                    {
                        parameter.requires_grad = false;
                        parameter.grad = null;
                    }

                    _frozen++;
                }

                break;
            case TrainingEvent.FitEnd:
                foreach (Parameter parameter in _layers.Take(_frozen).SelectMany(ModelLayers.Parameters))
                {
                    parameter.requires_grad = true;
                }

                _frozen = 0;
                break;
        }
    }
}
