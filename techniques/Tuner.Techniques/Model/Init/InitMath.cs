using static TorchSharp.torch;

namespace Tuner.Techniques.Model.Init;

/// <summary>The math of the initialization schemes.</summary>
public static class InitMath
{
    /// <summary>
    /// Fixup's scale of the first layers of each residual branch: L^(-1/(2m - 2)) for <paramref name="branches"/> L branches of
    /// <paramref name="layersPerBranch"/> m layers (m at least 2).
    /// </summary>
    public static double FixupScale(int branches, int layersPerBranch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(branches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(layersPerBranch, 2);
        return Math.Pow(branches, -1.0 / ((2 * layersPerBranch) - 2));
    }

    /// <summary>
    /// Fills <paramref name="weight"/> in place with a <paramref name="gain"/>-scaled orthogonal matrix (a convolution's weight
    /// seen as [out, in * kh * kw]): rows orthonormal when rows &lt;= columns, columns otherwise. Uses the global torch generator.
    /// </summary>
    public static void Orthogonal(Tensor weight, double gain)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            nn.init.orthogonal_(weight, gain);
        }
    }

    /// <summary>How far a matrix is from gain-scaled orthogonality: max |M M^T - gain^2 I| over the shorter side (a check).</summary>
    public static double OrthogonalityError(Tensor weight, double gain)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        Tensor matrix = weight.detach().flatten(1).to(ScalarType.Float64);
        Tensor gram = matrix.shape[0] <= matrix.shape[1] ? matrix.matmul(matrix.t()) : matrix.t().matmul(matrix);
        Tensor identity = eye(gram.shape[0], dtype: ScalarType.Float64).mul(gain * gain);
        return gram.sub(identity).abs().max().item<double>();
    }
}
