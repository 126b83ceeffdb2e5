namespace Tuner.Techniques.Data.ProgressiveResizing;

/// <summary>Options of <see cref="ProgressiveResizingTechnique"/>.</summary>
public sealed record ProgressiveResizingOptions
{
    /// <summary>Image scale at the start of the budget. [0.1, 1], default 0.5.</summary>
    public double InitialScale
    {
        get;
        init => field = value is >= 0.1 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(InitialScale), value, "the initial scale must be in [0.1, 1]");
    } = 0.5;

    /// <summary>Elapsed budget fraction from which images are at full size. (0, 1], default 0.8.</summary>
    public double FullAt
    {
        get;
        init => field = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(FullAt), value, "full_at must be in (0, 1]");
    } = 0.8;
}
