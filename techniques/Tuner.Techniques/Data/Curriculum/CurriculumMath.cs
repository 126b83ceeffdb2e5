using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.Curriculum;

/// <summary>Pure functions of curriculum learning (Bengio, Louradour, Collobert and Weston, ICML 2009).</summary>
public static class CurriculumMath
{
    /// <summary>Row indices ordered from the lowest difficulty score to the highest (stable: ties keep row order): int64 [N].</summary>
    public static Tensor EasyToHard(Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        using DisposeScope scope = NewDisposeScope();
        return scores.sort(0, descending: false, stable: true).Indices.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rows used in curriculum epoch <paramref name="epoch"/> (0-based) of <paramref name="epochs"/>: the easiest
    /// fraction, growing linearly from <paramref name="startFraction"/> in the first to all rows in the last
    /// (a single curriculum epoch uses <paramref name="startFraction"/>); round half away from zero, at least 1.
    /// </summary>
    public static long PacedCount(long rows, double startFraction, int epoch, int epochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        double fraction = epochs == 1 ? startFraction : startFraction + ((1 - startFraction) * Math.Clamp(epoch, 0, epochs - 1) / (epochs - 1));
        return Math.Clamp((long)Math.Round(fraction * rows, MidpointRounding.AwayFromZero), 1, rows);
    }
}
