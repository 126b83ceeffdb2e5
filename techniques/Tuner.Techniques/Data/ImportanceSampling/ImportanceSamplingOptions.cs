namespace Tuner.Techniques.Data.ImportanceSampling;

/// <summary>Options of <see cref="ImportanceSamplingTechnique"/>.</summary>
public sealed record ImportanceSamplingOptions
{
    /// <summary>Epochs in the normal random order before sampling by loss starts (0: from the first epoch). 0..1000, default 1.</summary>
    public int WarmupEpochs
    {
        get;
        init => field = value is >= 0 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), value, "warmup epochs must be in [0, 1000]");
    } = 1;

    /// <summary>Added to every loss estimate before normalising, so that learnt rows are still drawn. [1e-6, 1000], default 0.1.</summary>
    public double Smoothing
    {
        get;
        init => field = value is >= 1e-6 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(Smoothing), value, "smoothing must be in [1e-6, 1000]");
    } = 0.1;
}
