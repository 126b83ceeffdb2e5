namespace Tuner.Plots;

/// <summary>The smallest box holding every finite point added (for explicit, deterministic axis limits).</summary>
internal sealed class Extent
{
    public double XMin { get; private set; } = double.PositiveInfinity;
    public double XMax { get; private set; } = double.NegativeInfinity;
    public double YMin { get; private set; } = double.PositiveInfinity;
    public double YMax { get; private set; } = double.NegativeInfinity;

    public bool IsEmpty => double.IsInfinity(XMin) || double.IsInfinity(YMin);

    public double XSpan => IsEmpty ? 0 : XMax - XMin;

    public double YSpan => IsEmpty ? 0 : YMax - YMin;

    public void Add(double x, double y)
    {
        AddX(x);
        AddY(y);
    }

    public void AddX(double x)
    {
        if (double.IsFinite(x))
        {
            XMin = Math.Min(XMin, x);
            XMax = Math.Max(XMax, x);
        }
    }

    public void AddY(double y)
    {
        if (double.IsFinite(y))
        {
            YMin = Math.Min(YMin, y);
            YMax = Math.Max(YMax, y);
        }
    }
}
