namespace Tuner.Techniques.Data.CutMix;

/// <summary>Options of <see cref="CutMixTechnique"/>.</summary>
public sealed record CutMixOptions
{
    /// <summary>Shape of the Beta(alpha, alpha) the box's lambda is drawn from (1 = uniform, as in the paper). (0, 100], default 1.</summary>
    public double Alpha
    {
        get;
        init => field = value is > 0 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(Alpha), value, "alpha must be in (0, 100]");
    } = 1.0;

    /// <summary>Probability that a batch is mixed. [0, 1], default 1.</summary>
    public double Probability
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Probability), value, "the probability must be in [0, 1]");
    } = 1.0;
}
