using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.ImportanceSampling;

/// <summary>Pure functions of loss-based importance sampling (Loshchilov and Hutter 2015; Katharopoulos and Fleuret, ICML 2018).</summary>
public static class ImportanceSamplingMath
{
    /// <summary>The loss estimate of a row not seen yet: the cross-entropy of a uniform prediction, ln(classes).</summary>
    public static double InitialEstimate(int classes) => Math.Log(Math.Max(2, classes));

    /// <summary>Sampling probabilities (estimate + smoothing) / sum: float32 [N].</summary>
    public static Tensor Probabilities(Tensor estimates, double smoothing)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        using DisposeScope scope = NewDisposeScope();
        Tensor weights = estimates.clamp_min(0).add(smoothing);
        return weights.div(weights.sum()).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="count"/> row indices (int64) drawn with replacement with probability proportional to estimate + smoothing.</summary>
    public static Tensor Sample(Tensor estimates, double smoothing, long count, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        using Tensor probabilities = Probabilities(estimates, smoothing);
        return multinomial(probabilities, count, replacement: true, generator: generator);
    }

    /// <summary>
    /// The weights that keep the gradient unbiased when rows are drawn with probabilities <paramref name="probabilities"/>
    /// (over all N rows): w_i = 1 / (N * p_i) for the drawn <paramref name="rows"/>, so E[w * grad l] = mean over rows of grad l
    /// (Katharopoulos and Fleuret 2018, eq. 2).
    /// </summary>
    public static Tensor UnbiasingWeights(Tensor probabilities, Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(rows);
        using DisposeScope scope = NewDisposeScope();
        Tensor p = probabilities.index_select(0, rows.to(probabilities.device));
        return p.mul(probabilities.shape[0]).reciprocal().MoveToOuterDisposeScope();
    }

    /// <summary>Writes the latest per-sample losses of <paramref name="rows"/> into <paramref name="estimates"/> (in place).</summary>
    public static void Update(Tensor estimates, Tensor rows, Tensor losses)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(losses);
        using DisposeScope scope = NewDisposeScope(); // every temporary, and the handle index_put_ returns
        using (no_grad())
        {
            Tensor values = losses.detach().to(estimates.device).to_type(estimates.dtype);
            estimates.index_put_(values, rows.to(estimates.device));
        }
    }
}
