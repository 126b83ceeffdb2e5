namespace Tuner.Techniques.Optimization.LinearWarmup;

/// <summary>Linear learning-rate warmup (Goyal et al., 2017).</summary>
public static class LinearWarmupMath
{
    /// <summary>The multiplier for the learning rate of optimizer step <paramref name="step"/> (0-based): (step + 1) / warmup, capped at 1.</summary>
    public static double Factor(long step, int warmupSteps) => warmupSteps <= 0 ? 1.0 : Math.Min(1.0, (step + 1) / (double)warmupSteps);
}
