using Tuner.Core.Errors;

namespace Tuner.Techniques.Model.LayerFreezing;

/// <summary>FreezeOut's options (Brock et al., 2017).</summary>
public sealed record LayerFreezingOptions
{
    /// <summary>Budget fraction at which the first layer freezes, [0, 1]; default 0.5 (FreezeOut's linear default).</summary>
    public double T0 { get; init; } = 0.5;

    /// <summary>Whether the schedule is cubed (FreezeOut's cubic variant: early layers freeze much earlier); default false.</summary>
    public bool Cubic { get; init; }

    /// <summary>Throws a one-line input error for an out-of-range option.</summary>
    public LayerFreezingOptions Validate() => T0 is >= 0 and <= 1
        ? this
        : throw new TunerInputException($"technique {LayerFreezingTechnique.TechniqueName}: t0 must be in [0, 1], not {T0}");
}
