namespace Tuner.Training.Optimizers;

/// <summary>Options of the Adam-family optimizers (adam, adamw, lamb): their declared options plus the recipe's weight decay.</summary>
public sealed record AdamOptions
{
    /// <summary>Decay of the first moment, [0, 0.9999]; default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the second moment, [0, 0.99999]; default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the root of the second moment, [1e-12, 1]; default 1e-8 (lamb: 1e-6).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Weight decay (the recipe's weight_decay): L2 added to the gradient for adam, decoupled for adamw and lamb.</summary>
    public double WeightDecay { get; init; }
}
