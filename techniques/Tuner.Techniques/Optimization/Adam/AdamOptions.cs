namespace Tuner.Techniques.Optimization.Adam;

/// <summary>Options of the Adam-family techniques (adam, adamw, lamb).</summary>
public sealed record AdamOptions
{
    /// <summary>Decay of the first moment, [0, 0.9999]; default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the second moment, [0, 0.99999]; default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the root of the second moment, [1e-12, 1]; default 1e-8 (lamb: 1e-6).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Weight decay, [0, 1]: L2 added to the gradient for adam (default 0), decoupled for adamw (default 0.01) and lamb (default 0.01).</summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// Multiplier on the learning rate the schedule sets, [1e-6, 100]; default 1. Adaptive optimizers want much smaller
    /// rates than the SGD rates of the suites' baselines (0.05 SGD is roughly 0.001 Adam: lr_scale=0.02).
    /// </summary>
    public double LearningRateScale { get; init; } = 1.0;
}
