using Tuner.Core.Options;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Sam;

/// <summary>
/// At BeforeOptimizerStep (first in the update path): e = rho * g / ||g|| (global norm); w += e; the same batch's loss
/// (state.Inputs and state.Targets as the data techniques left them, the whole composed loss chain) is recomputed and
/// back-propagated; w is restored exactly from a copy. The optimizer then steps with the gradient taken at w + e (clipped
/// after this, when grad_clip is on). The second pass is a plain float32 forward through every residual block
/// (precision's bf16 and stochastic depth's drops apply to the engine's own forward pass only). Every step costs a second
/// forward and backward pass (about twice the compute).
/// </summary>
public sealed class SamTechnique(double rho) : ITechnique
{
    public const string TechniqueName = "sam";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "Sam",
        Summary = "Steps with the gradient of the (composed) loss taken at w + rho * g / ||g|| (a second forward and backward pass per step: about twice the compute).",
        Paper = "Foret, Kleiner, Mobahi and Neyshabur, Sharpness-Aware Minimization for Efficiently Improving Generalization, ICLR 2021",
        Options = [OptionSpec.Number("rho", 0.05, 1e-6, 10, "neighbourhood radius")],
        Order = 600,
        Create = o => new SamTechnique(o.Number("rho")),
        ProbeSummary = "the optimizer steps with the composed loss's gradient at w + rho g/||g|| (recomputed here), and the weights it steps from are exactly w",
        Probe = t => new SamProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    /// <summary>Radius of the neighbourhood.</summary>
    public double Rho { get; } = rho;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.BeforeOptimizerStep;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Inputs is null || state.Targets is null)
        {
            return;
        }

        var parameters = new List<TorchSharp.Modules.Parameter>();
        var gradients = new List<Tensor>();
        foreach (TorchSharp.Modules.Parameter parameter in state.Model.parameters())
        {
            Tensor? gradient = parameter.grad;
            if (gradient is not null && parameter.requires_grad)
            {
                parameters.Add(parameter);
                gradients.Add(gradient);
            }
        }

        Tensor[] perturbations = SamMath.Perturbations(gradients, Rho);
        Tensor[] saved = new Tensor[parameters.Count];
        using (no_grad())
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                saved[i] = parameters[i].detach().clone();
                parameters[i].add_(perturbations[i]);
            }
        }

        try
        {
            foreach (Tensor gradient in gradients)
            {
                gradient.zero_();
            }

            Tensor outputs = state.Model.call(state.Inputs);
            Tensor loss = state.ComputeLoss(outputs, state.Targets);
            loss.backward();
        }
        finally
        {
            using (no_grad())
            {
                for (int i = 0; i < parameters.Count; i++)
                {
                    parameters[i].copy_(saved[i]);
                }
            }
        }
    }
}
