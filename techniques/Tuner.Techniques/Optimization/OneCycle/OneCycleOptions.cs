using Tuner.Core.Errors;

namespace Tuner.Techniques.Optimization.OneCycle;

/// <summary>Options of <see cref="OneCycleTechnique"/>; all rates are multiples of the base learning rate.</summary>
public sealed record OneCycleOptions
{
    /// <summary>Peak learning rate as a multiple of the base rate, [1, 1000]; default 10.</summary>
    public double MaxFactor { get; init; } = 10;

    /// <summary>Budget fraction at which the peak is reached, (0, 1); default 0.3 (PyTorch's OneCycleLR).</summary>
    public double PctStart { get; init; } = 0.3;

    /// <summary>Final learning rate as a multiple of the base rate, [0, 1]; default 0.</summary>
    public double MinFactor { get; init; }

    /// <summary>Anneal linearly after the peak instead of along a cosine; default false (cosine).</summary>
    public bool LinearAnneal { get; init; }

    /// <summary>Throws a one-line input error for an inconsistent combination.</summary>
    public OneCycleOptions Validate()
    {
        if (MinFactor > MaxFactor)
        {
            throw new TunerInputException($"technique {OneCycleTechnique.TechniqueName}: min_factor {MinFactor} exceeds max_lr_factor {MaxFactor}: the rate must come down after the peak");
        }

        return this;
    }
}
