using Tuner.Core.Errors;

namespace Tuner.Techniques.Model.ModelScaling;

/// <summary>Width and depth multipliers of <see cref="ModelScalingTechnique"/>.</summary>
public sealed record ModelScalingOptions
{
    /// <summary>Multiplier of every hidden width and channel count (at least 1 unit each), [0.05, 8]; default 0.5.</summary>
    public double Width { get; init; } = 0.5;

    /// <summary>Multiplier of the number of hidden layers or residual blocks (at least 1), [0.1, 8]; default 1.</summary>
    public double Depth { get; init; } = 1.0;

    /// <summary>Throws a one-line input error for an out-of-range multiplier.</summary>
    public ModelScalingOptions Validate() => Width is >= 0.05 and <= 8 && Depth is >= 0.1 and <= 8
        ? this
        : throw new TunerInputException($"technique {ModelScalingTechnique.TechniqueName}: width must be in [0.05, 8] and depth in [0.1, 8]");
}
