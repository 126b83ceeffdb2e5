namespace Tuner.Techniques.Model.Init;

/// <summary>The initialization schemes of <see cref="InitTechnique"/>.</summary>
public enum InitScheme
{
    /// <summary>The last layer of every residual branch starts at zero, so each block starts as the identity (Goyal et al., 2017).</summary>
    ZeroLast,

    /// <summary>Every Linear and Conv2d weight is a (scaled) orthogonal matrix (Saxe et al., ICLR 2014).</summary>
    Orthogonal,

    /// <summary>
    /// Fixup's rule (Zhang et al., ICLR 2019) for L residual branches of m = 2 layers: the first layer of each branch scaled by
    /// L^(-1/(2m-2)) = L^(-1/2), the last layer of each branch and the classification layer at zero.
    /// </summary>
    Fixup,
}
