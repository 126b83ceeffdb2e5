using TorchSharp.Modules;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using static TorchSharp.torch;

namespace Tuner.Techniques.Model.Init;

/// <summary>
/// Re-initializes the model at FitStart (before the optimizer is built) with one <see cref="InitScheme"/>. ZeroLast and
/// Fixup need residual blocks and fail the run at FitStart on a model without them; Orthogonal works on any model.
/// </summary>
public sealed class InitTechnique(InitScheme scheme, double gain = 1.0) : ITechnique
{
    public const string ZeroLastName = "init_zero_last";
    public const string OrthogonalName = "init_orthogonal";
    public const string FixupName = "init_fixup";

    public string Name => Scheme switch
    {
        InitScheme.ZeroLast => ZeroLastName,
        InitScheme.Orthogonal => OrthogonalName,
        _ => FixupName,
    };

    public TechniqueCategory Category => TechniqueCategory.Model;

    public InitScheme Scheme { get; } = scheme;

    /// <summary>The orthogonal scheme's gain.</summary>
    public double Gain { get; } = gain;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.FitStart;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var scope = NewDisposeScope(); // FitStart has no batch scope; in-place ops hand back tensors to dispose
        switch (Scheme)
        {
            case InitScheme.Orthogonal:
                foreach (nn.Module<Tensor, Tensor> layer in ModelLayers.Parametric(state.Model))
                {
                    InitMath.Orthogonal(ModelLayers.Weight(layer), Gain);
                }

                break;
            case InitScheme.ZeroLast:
                foreach (ResidualBlock block in RequireBlocks(state.Model))
                {
                    Zero(block.Second);
                }

                break;
            case InitScheme.Fixup:
                IReadOnlyList<ResidualBlock> blocks = RequireBlocks(state.Model);
                double scale = InitMath.FixupScale(blocks.Count, 2);
                using (no_grad())
                {
                    foreach (ResidualBlock block in blocks)
                    {
                        block.First.weight.mul_(scale);
                        Zero(block.Second);
                    }

                    Zero(ModelLayers.Parametric(state.Model)[^1]);
                }

                break;
        }
    }

    private IReadOnlyList<ResidualBlock> RequireBlocks(nn.Module model)
    {
        IReadOnlyList<ResidualBlock> blocks = ModelLayers.ResidualBlocks(model);
        return blocks.Count > 0
            ? blocks
            : throw new InvalidOperationException($"{Name} initializes residual branches, but this model has no residual blocks: use a resmlp model");
    }

    private static void Zero(nn.Module layer)
    {
        using (no_grad())
        {
            foreach (Parameter parameter in ModelLayers.Parameters(layer))
            {
                parameter.zero_();
            }
        }
    }
}
