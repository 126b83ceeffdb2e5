using TorchSharp.Modules;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Sam;

/// <summary>
/// Around sam's BeforeOptimizerStep (first batches): the weights after it are exactly the weights before it, and the
/// gradients it leaves are the composed loss's gradient at w + rho g / ||g||, recomputed here with autograd on a copy of
/// the batch (and different from the plain gradient g).
/// </summary>
internal sealed class SamProbe(ITechnique technique) : TechniqueProbe<SamTechnique>(technique)
{
    private const int BatchesChecked = 3;
    private float[][]? _weights;
    private float[][]? _gradients;
    private float[][]? _expected;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (!mine || Seen >= BatchesChecked)
        {
            return;
        }

        Parameter[] parameters = [.. state.Model.parameters().Where(p => p.grad is not null && p.requires_grad)];
        if (point == ObservationPoint.BeforeTechnique)
        {
            _weights = [.. parameters.Select(ProbeValues.Of)];
            _gradients = [.. parameters.Select(p => ProbeValues.Of(p.grad!))];
            _expected = ExpectedGradients(state, parameters);
            return;
        }

        float[][] weights = [.. parameters.Select(ProbeValues.Of)];
        float[][] gradients = [.. parameters.Select(p => ProbeValues.Of(p.grad!))];
        double scale = Math.Max(1e-6, ProbeValues.MaxAbs(_expected!));
        double error = ProbeValues.MaxDifference(gradients, _expected!);
        if (Expect(ProbeValues.MaxDifference(weights, _weights!) == 0, "the weights after its pass are not exactly the weights before it") &&
            Expect(error <= 1e-3 * scale, $"the gradient it leaves differs from the loss's gradient at w + e by {error:g3} (scale {scale:g3})") &&
            Expect(ProbeValues.MaxDifference(gradients, _gradients!) > 0, "the gradient it leaves is the plain gradient"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no step was taken";

    /// <summary>The gradient of the composed loss at w + rho g/||g||, computed on detached copies (the model is put back exactly).</summary>
    private float[][] ExpectedGradients(TrainingState state, Parameter[] parameters)
    {
        Tensor[] original = [.. parameters.Select(p => p.detach().clone())];
        Tensor[] grads = [.. parameters.Select(p => p.grad!.detach().clone())];
        Tensor[] perturbations = SamMath.Perturbations(grads, Technique.Rho);
        Tensor[] saved = [.. parameters.Select(p => p.grad!.detach().clone())];
        try
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].add_(perturbations[i]);
            }

            using (enable_grad())
            {
                Tensor loss = state.ComputeLoss(state.Model.call(state.Inputs!), state.Targets!);
                IList<Tensor> result = autograd.grad([loss], parameters, allow_unused: true);
                return [.. result.Select((g, i) => g is null ? new float[parameters[i].numel()] : ProbeValues.Of(g))];
            }
        }
        finally
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].copy_(original[i]);
                parameters[i].grad!.copy_(saved[i]);
            }
        }
    }
}
