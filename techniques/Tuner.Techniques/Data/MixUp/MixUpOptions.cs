namespace Tuner.Techniques.Data.MixUp;

/// <summary>Options of <see cref="MixUpTechnique"/>.</summary>
public sealed record MixUpOptions
{
    /// <summary>Shape of the symmetric Beta(alpha, alpha) that lambda is drawn from; small alpha keeps lambda near 0 or 1. (0, 100], default 0.2.</summary>
    public double Alpha
    {
        get;
        init => field = value is > 0 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(Alpha), value, "alpha must be in (0, 100]");
    } = 0.2;

    /// <summary>Probability that a batch is mixed. [0, 1], default 1.</summary>
    public double Probability
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Probability), value, "the probability must be in [0, 1]");
    } = 1.0;
}
