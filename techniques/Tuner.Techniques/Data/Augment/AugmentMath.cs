using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.Augment;

/// <summary>Pure functions of label-preserving image augmentation: per-image translation with constant padding and horizontal flips.</summary>
public static class AugmentMath
{
    /// <summary>
    /// Each image b of <paramref name="images"/> [B, C, H, W] moved down by <paramref name="rowShifts"/>[b] and right by
    /// <paramref name="columnShifts"/>[b] pixels (negative: up, left): out[b, c, h, w] = x[b, c, h - dy, w - dx], and
    /// <paramref name="fill"/> where that falls outside the image. Shifts are int64 [B] with |shift| &lt;= <paramref name="maxShift"/>.
    /// </summary>
    public static Tensor Translate(Tensor images, Tensor rowShifts, Tensor columnShifts, int maxShift, double fill)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(rowShifts);
        ArgumentNullException.ThrowIfNull(columnShifts);
        ArgumentOutOfRangeException.ThrowIfNegative(maxShift);
        if (maxShift == 0)
        {
            return images.clone();
        }

        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        using DisposeScope scope = NewDisposeScope();
        Tensor padded = nn.functional.pad(images, [maxShift, maxShift, maxShift, maxShift], PaddingModes.Constant, fill);
        Tensor rows = arange(h, ScalarType.Int64, images.device).unsqueeze(0).sub(rowShifts.unsqueeze(1)).add(maxShift); // [B, H]
        Tensor columns = arange(w, ScalarType.Int64, images.device).unsqueeze(0).sub(columnShifts.unsqueeze(1)).add(maxShift); // [B, W]
        Tensor byRows = padded.gather(2, rows.view(b, 1, h, 1).expand(b, c, h, w + (2 * maxShift)));
        Tensor moved = byRows.gather(3, columns.view(b, 1, 1, w).expand(b, c, h, w));
        return moved.MoveToOuterDisposeScope();
    }

    /// <summary>The images whose entry of <paramref name="flip"/> (bool [B]) is true mirrored left to right; the others unchanged (a new tensor).</summary>
    public static Tensor FlipHorizontally(Tensor images, Tensor flip)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(flip);
        using Tensor mirrored = images.flip(3);
        using Tensor mask = flip.view(images.shape[0], 1, 1, 1);
        return where(mask, mirrored, images);
    }
}
