namespace Tuner.Plots;

/// <summary>The trials no other trial beats: none is at least as fast and at least as good, and strictly one of them.</summary>
public static class ParetoFront
{
    /// <summary>
    /// The non-dominated points when minimising <see cref="ParetoPoint.Seconds"/> and maximising
    /// <see cref="ParetoPoint.Metric"/> (minimising it when <paramref name="lowerIsBetter"/>: a loss), sorted by seconds
    /// (input order among exact ties, which are all kept). Points with a NaN or infinite coordinate are left out.
    /// </summary>
    public static IReadOnlyList<ParetoPoint> Compute(IEnumerable<ParetoPoint> points, bool lowerIsBetter = false)
    {
        ArgumentNullException.ThrowIfNull(points);

        // Fastest first and, at equal time, best first (stable, so exact ties keep their input order): a point is on the
        // front when it beats every metric seen so far, or exactly ties the point that set it.
        var ordered = points
            .Where(p => double.IsFinite(p.Seconds) && double.IsFinite(p.Metric))
            .OrderBy(p => p.Seconds)
            .ThenBy(p => lowerIsBetter ? p.Metric : -p.Metric)
            .ToList();

        var front = new List<ParetoPoint>();
        foreach (ParetoPoint point in ordered)
        {
            ParetoPoint? last = front.Count == 0 ? null : front[^1];
            bool better = last is null || (lowerIsBetter ? point.Metric < last.Metric : point.Metric > last.Metric);
            bool tie = last is not null && point.Metric == last.Metric && point.Seconds == last.Seconds;
            if (better || tie)
            {
                front.Add(point);
            }
        }

        return front;
    }
}
