using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.MixUp;

/// <summary>Pure functions of mixup (Zhang et al., ICLR 2018); CutMix reuses the mixed loss and the Beta draw.</summary>
public static class MixUpMath
{
    /// <summary><paramref name="lambda"/> * x + (1 - <paramref name="lambda"/>) * x[<paramref name="permutation"/>] along the batch dimension.</summary>
    public static Tensor Mix(Tensor inputs, Tensor permutation, double lambda)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using Tensor partners = inputs.index_select(0, permutation);
        using Tensor scaled = inputs.mul(lambda);
        return scaled.add(partners, 1 - lambda);
    }

    /// <summary>
    /// Per sample, <paramref name="lambda"/> * loss(outputs, y) + (1 - <paramref name="lambda"/>) * loss(outputs, y[<paramref name="permutation"/>]):
    /// the loss of a mixed batch under whatever loss lies below (cross-entropy, or label smoothing's: then the targets are
    /// the smoothed mixed targets, since smoothing is linear in the target).
    /// </summary>
    public static Tensor MixedLoss(SampleLoss loss, Tensor outputs, Tensor targets, Tensor permutation, double lambda)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(targets);
        using Tensor partnerTargets = targets.index_select(0, permutation);
        using Tensor own = loss(outputs, targets);
        using Tensor partner = loss(outputs, partnerTargets);
        using Tensor scaled = own.mul(lambda);
        return scaled.add(partner, 1 - lambda);
    }

    /// <summary>A draw from Beta(<paramref name="a"/>, <paramref name="b"/>) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).</summary>
    public static double SampleBeta(Random random, double a, double b)
    {
        double x = SampleGamma(random, a);
        double y = SampleGamma(random, b);
        double sum = x + y;
        return sum > 0 ? x / sum : (random.NextDouble() < a / (a + b) ? 1.0 : 0.0); // both underflowed (tiny shapes): an endpoint
    }

    /// <summary>A draw from Gamma(<paramref name="shape"/>, 1): Marsaglia and Tsang's method, boosted by U^(1/shape) below shape 1.</summary>
    public static double SampleGamma(Random random, double shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(shape > 0) || !double.IsFinite(shape))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "the Gamma shape must be a positive finite number");
        }

        if (shape < 1)
        {
            double u = 1.0 - random.NextDouble(); // (0, 1]
            return SampleGamma(random, shape + 1) * Math.Pow(u, 1 / shape);
        }

        double d = shape - (1.0 / 3);
        double c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z;
            double v;
            do
            {
                z = SampleNormal(random);
                v = 1 + (c * z);
            }
            while (v <= 0);

            v = v * v * v;
            double u = 1.0 - random.NextDouble();
            if (u < 1 - (0.0331 * z * z * z * z) || Math.Log(u) < (0.5 * z * z) + (d * (1 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double SampleNormal(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: the logarithm is finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
