namespace Tuner.Techniques.Data.DataPruning;

/// <summary>Options of <see cref="DataPruningTechnique"/>.</summary>
public sealed record DataPruningOptions
{
    /// <summary>Fraction of the train split kept (the highest EL2N scores). (0, 1], default 0.7.</summary>
    public double Keep
    {
        get;
        init => field = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Keep), value, "keep must be in (0, 1]");
    } = 0.7;

    /// <summary>The epoch at whose start the rows are scored with the model as trained so far (0: the initial model). 0..1000, default 1.</summary>
    public int ScoreEpoch
    {
        get;
        init => field = value is >= 0 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(ScoreEpoch), value, "the score epoch must be in [0, 1000]");
    } = 1;
}
