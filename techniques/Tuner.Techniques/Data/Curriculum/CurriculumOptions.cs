namespace Tuner.Techniques.Data.Curriculum;

/// <summary>Options of <see cref="CurriculumTechnique"/>.</summary>
public sealed record CurriculumOptions
{
    /// <summary>Epochs ordered from easy to hard (later epochs use the normal random order). 1..1000, default 1.</summary>
    public int Epochs
    {
        get;
        init => field = value is >= 1 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(Epochs), value, "epochs must be in [1, 1000]");
    } = 1;

    /// <summary>Pacing: the fraction of easiest rows used in the first curriculum epoch, growing linearly to all rows in the last. (0, 1], default 1 (no pacing: every epoch uses all rows).</summary>
    public double StartFraction
    {
        get;
        init => field = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(StartFraction), value, "the start fraction must be in (0, 1]");
    } = 1.0;
}
