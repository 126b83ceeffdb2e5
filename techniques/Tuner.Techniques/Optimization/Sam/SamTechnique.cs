using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Sam;

/// <summary>
/// At BeforeOptimizerStep: e = rho * g / ||g|| (global norm); w += e; the loss of the same batch (state.Inputs,
/// state.Targets and state.LossFunction as they stand then: a loss swapped only between BeforeLoss and AfterLoss is
/// not reused) is recomputed and back-propagated; w is restored exactly from a copy. The optimizer then steps with the
/// gradient taken at w + e. Every step costs a second forward and backward pass (about twice the compute). The
/// optimizer techniques (adam, lamb, ...) read the gradients at BeforeOptimizerStep too, so they go after it.
/// </summary>
public sealed class SamTechnique(double rho) : ITechnique
{
    public const string TechniqueName = "sam";

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
            if (gradient is not null)
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
            Tensor loss = state.LossFunction(outputs, state.Targets);
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
