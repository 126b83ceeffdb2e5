namespace Tuner.Techniques.Data.Augment;

/// <summary>Options of <see cref="AugmentTechnique"/>.</summary>
public sealed record AugmentOptions
{
    /// <summary>Largest translation in pixels along each axis (each image draws its own in [-shift, shift]). 0..16, default 2.</summary>
    public int Shift
    {
        get;
        init => field = value is >= 0 and <= 16 ? value : throw new ArgumentOutOfRangeException(nameof(Shift), value, "shift must be in [0, 16]");
    } = 2;

    /// <summary>Probability that an image is mirrored left to right, on suites that allow it (never otherwise). [0, 1], default 0.5.</summary>
    public double FlipProbability
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(FlipProbability), value, "the flip probability must be in [0, 1]");
    } = 0.5;
}
