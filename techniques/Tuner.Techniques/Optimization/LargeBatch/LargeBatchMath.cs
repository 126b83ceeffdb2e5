namespace Tuner.Techniques.Optimization.LargeBatch;

/// <summary>
/// Learning-rate scaling for a batch <c>factor</c> times larger: linear (power 1; Goyal et al., Accurate, Large
/// Minibatch SGD, 2017) or square root (power 0.5; Krizhevsky, One weird trick, 2014; Hoffer et al., Train longer,
/// generalize better, NeurIPS 2017).
/// </summary>
public static class LargeBatchMath
{
    /// <summary>The new batch size: batchSize * factor.</summary>
    public static int BatchSize(int batchSize, int factor) => checked(batchSize * factor);

    /// <summary>The new base learning rate: baseRate * factor^power.</summary>
    public static double LearningRate(double baseRate, int factor, double power) => baseRate * Math.Pow(factor, power);
}
