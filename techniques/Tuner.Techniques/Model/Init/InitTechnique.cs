using TorchSharp.Modules;
using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using static TorchSharp.torch;

namespace Tuner.Techniques.Model.Init;

/// <summary>
/// Re-initializes the model at FitStart (before the optimizer is built) with one <see cref="InitScheme"/>. ZeroLast and
/// Fixup need residual blocks (declared, so they are refused before training elsewhere); Orthogonal works on any model.
/// </summary>
public sealed class InitTechnique(InitScheme scheme, double gain = 1.0) : ITechnique
{
    public const string ZeroLastName = "init_zero_last";
    public const string OrthogonalName = "init_orthogonal";
    public const string FixupName = "init_fixup";

    public static TechniqueDescriptor ZeroLastDescriptor { get; } = new()
    {
        Name = ZeroLastName,
        Category = TechniqueCategory.Model,
        Folder = "Init",
        Summary = "Zero-initializes the last layer of every residual branch, so each residual block starts as the identity (needs residual blocks).",
        Paper = "Goyal et al., Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour, 2017",
        Requires = WorkloadFacts.ResidualBlocks,
        Conflicts = [OrthogonalName, FixupName],
        Order = 201,
        Create = _ => new InitTechnique(InitScheme.ZeroLast),
        ProbeSummary = "after FitStart the last layer of every residual branch is all zeros",
        Probe = t => new InitProbe(t),
    };

    public static TechniqueDescriptor OrthogonalDescriptor { get; } = new()
    {
        Name = OrthogonalName,
        Category = TechniqueCategory.Model,
        Folder = "Init",
        Summary = "Initializes every Linear and Conv2d weight as a gain-scaled orthogonal matrix (biases unchanged).",
        Paper = "Saxe, McClelland and Ganguli, Exact solutions to the nonlinear dynamics of learning in deep linear neural networks, ICLR 2014",
        Options = [OptionSpec.Number("gain", 1.0, 1e-6, 10, "scale of the orthogonal matrices")],
        Conflicts = [ZeroLastName, FixupName],
        Order = 200,
        Create = o => new InitTechnique(InitScheme.Orthogonal, o.Number("gain")),
        ProbeSummary = "after FitStart every Linear/Conv2d weight W has W W^T = gain^2 I on its shorter side",
        Probe = t => new InitProbe(t),
    };

    public static TechniqueDescriptor FixupDescriptor { get; } = new()
    {
        Name = FixupName,
        Category = TechniqueCategory.Model,
        Folder = "Init",
        Summary = "Fixup: scales the first layer of each of the L residual branches by L^(-1/2) and zero-initializes the last layer of each branch and the classifier (needs residual blocks).",
        Paper = "Zhang, Dauphin and Ma, Fixup Initialization: Residual Learning Without Normalization, ICLR 2019",
        Requires = WorkloadFacts.ResidualBlocks,
        Conflicts = [ZeroLastName, OrthogonalName],
        Order = 202,
        Create = _ => new InitTechnique(InitScheme.Fixup),
        ProbeSummary = "after FitStart each branch's first weight is L^(-1/2) times what it was, each branch's last layer and the classifier are zeros",
        Probe = t => new InitProbe(t),
    };

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
