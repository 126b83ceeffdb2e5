namespace Tuner.Techniques.Optimization.Nesterov;

/// <summary>Options of <see cref="NesterovTechnique"/>.</summary>
public sealed record NesterovOptions
{
    /// <summary>Momentum coefficient, [0, 0.999]; default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay added to the gradient, [0, 1]; default 0.</summary>
    public double WeightDecay { get; init; }
}
