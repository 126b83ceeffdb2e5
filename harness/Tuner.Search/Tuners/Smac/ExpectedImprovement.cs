namespace Tuner.Search.Tuners.Smac;

/// <summary>
/// Expected improvement for minimisation: E[max(0, best − Y)] for Y ~ Normal(mean, std), the acquisition of
/// Bayesian optimisation (large where the prediction is low or uncertain).
/// </summary>
public static class ExpectedImprovement
{
    private static readonly double InverseSqrt2Pi = 1.0 / Math.Sqrt(2 * Math.PI);

    public static double Of(double mean, double std, double best)
    {
        double improvement = best - mean;
        if (!(std > 1e-12))
        {
            return Math.Max(0, improvement);
        }

        double z = improvement / std;
        return Math.Max(0, (improvement * NormalCdf(z)) + (std * InverseSqrt2Pi * Math.Exp(-0.5 * z * z)));
    }

    /// <summary>The standard normal distribution function (absolute error below 1e-7).</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>Complementary error function, Chebyshev fit of Press et al. (relative error below 1.2e-7).</summary>
    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + (0.5 * z));
        double poly = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806 +
            (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        double r = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? r : 2.0 - r;
    }
}
