namespace Tuner.Techniques.Optimization.OneCycle;

/// <summary>The 1cycle policy (Smith and Topin, Super-Convergence, 2019) over the budget fraction.</summary>
public static class OneCycleMath
{
    /// <summary>
    /// Linear from base to base * MaxFactor over [0, PctStart], then down to base * MinFactor at f = 1 along a cosine
    /// (or linearly); f is clamped to [0, 1].
    /// </summary>
    public static double LearningRate(double baseRate, double fraction, OneCycleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        double f = Math.Clamp(fraction, 0.0, 1.0);
        if (f < options.PctStart)
        {
            return baseRate * (1 + ((options.MaxFactor - 1) * f / options.PctStart));
        }

        double down = (f - options.PctStart) / (1 - options.PctStart);
        double shape = options.LinearAnneal ? 1 - down : 0.5 * (1 + Math.Cos(Math.PI * down));
        return baseRate * (options.MinFactor + ((options.MaxFactor - options.MinFactor) * shape));
    }
}
