using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization.Sam;

/// <summary>Sharpness-Aware Minimization (Foret et al., ICLR 2021): the ascent step.</summary>
public static class SamMath
{
    /// <summary>Guards the division when every gradient is zero.</summary>
    public const double Epsilon = 1e-12;

    /// <summary>
    /// The perturbations e_i = rho * g_i / ||g||, with ||g|| the global L2 norm over all <paramref name="gradients"/>:
    /// new tensors in the caller's dispose scope, one per gradient.
    /// </summary>
    public static Tensor[] Perturbations(IReadOnlyList<Tensor> gradients, double rho)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count == 0)
        {
            return [];
        }

        using var scope = NewDisposeScope();
        Tensor norm = stack([.. gradients.Select(g => g.to_type(ScalarType.Float32).square().sum())]).sum().sqrt();
        Tensor scale = norm.add(Epsilon).reciprocal().mul(rho);
        Tensor[] perturbations = [.. gradients.Select(g => g.mul(scale.to_type(g.dtype)))];
        scope.MoveToOuter(perturbations);
        return perturbations;
    }
}
