namespace Tuner.Training.Optimizers;

/// <summary>Options of the LARS optimizer: its trust option plus the recipe's momentum and weight decay (You, Gitman and Ginsburg, 2017).</summary>
public sealed record LarsOptions
{
    /// <summary>Momentum coefficient, [0, 0.999]; default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>
    /// Trust coefficient eta, (0, 1]; default 0.001. The local rate eta * ||w|| / ||g|| is small, so LARS wants a
    /// much larger global learning rate than SGD.
    /// </summary>
    public double Trust { get; init; } = 0.001;

    /// <summary>Weight decay beta, [0, 1]; default 0.0005.</summary>
    public double WeightDecay { get; init; } = 0.0005;
}
