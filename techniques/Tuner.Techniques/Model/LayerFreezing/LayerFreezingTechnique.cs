using TorchSharp.Modules;
using Tuner.Core.Options;
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

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Model,
        Folder = "LayerFreezing",
        Summary = "Progressively freezes the layers from the first (FreezeOut's schedule): layer i of L stops training at t0 + (1 - t0) i / L of the budget; the head trains to the end.",
        Paper = "Brock, Lim, Ritchie and Weston, FreezeOut: Accelerate Training by Progressively Freezing Layers, 2017",
        Options =
        [
            OptionSpec.Number("t0", 0.5, 0, 1, "budget fraction where the first layer freezes"),
            OptionSpec.Flag("cubic", false, "cube the schedule (FreezeOut's cubic variant: early layers freeze much earlier)"),
        ],
        ActsOverHorizon = true,
        Order = 230,
        Create = o => new LayerFreezingTechnique(new LayerFreezingOptions { T0 = o.Number("t0"), Cubic = o.Flag("cubic") }),
        ProbeSummary = "a layer's parameters stop requiring gradients at its scheduled fraction and do not move afterwards (optimizer, lookahead, pruning, SAM alike)",
        Probe = t => new LayerFreezingProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["t0"] = "0" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Model;

    public LayerFreezingOptions Options { get; } = (options ?? throw new ArgumentNullException(nameof(options))).Validate();

    /// <summary>How many of the first layers are frozen now.</summary>
    public int FrozenLayers => _frozen;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.FitStart => true,
        TrainingEvent.BeforeForward => _frozen < _freezeAt.Count && _freezeAt[_frozen] <= state.ScheduleFraction,
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
                while (_frozen < _freezeAt.Count && _freezeAt[_frozen] <= state.ScheduleFraction)
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
