using Tuner.Core.Errors;

namespace Tuner.Core.Regression;

/// <summary>
/// When a change between tonight and the history counts. A metric regresses when its one-sided test gives
/// p &lt; <see cref="Alpha"/> AND the change is at least <see cref="MinEffect"/> (relative for time-to-target and
/// throughput, absolute share for reach probability). When a sample's coefficient of variation exceeds
/// <see cref="MaxCv"/>, the noise analyser raises the minimum effect to that CV and says so: a 7% change means nothing
/// when seeds differ by 30%.
/// </summary>
/// <param name="MinEffect">Smallest change that counts (default 5%).</param>
/// <param name="Alpha">Significance level of each one-sided test (default 0.01; not corrected for the number of tests, so that five seeds against one earlier night of five can already flag a regression: the smallest exact p-value there is 1/252 = 0.004).</param>
/// <param name="MaxCv">Coefficient of variation above which a metric is called noisy (default 0.25).</param>
/// <param name="HistoryNights">How many earlier comparable nights form the history (default 10).</param>
public sealed record RegressionPolicy(double MinEffect = 0.05, double Alpha = 0.01, double MaxCv = 0.25, int HistoryNights = 10)
{
    public static RegressionPolicy Default { get; } = new();

    /// <summary>Throws a one-line <see cref="TunerInputException"/> naming the first value out of range.</summary>
    public RegressionPolicy Validate(string where)
    {
        if (!(MinEffect >= 0 && MinEffect < 1))
        {
            throw new TunerInputException($"{where}: min_effect must be in [0, 1) (0.05 means 5%), got {MinEffect}");
        }

        if (!(Alpha > 0 && Alpha < 0.5))
        {
            throw new TunerInputException($"{where}: alpha must be in (0, 0.5), got {Alpha}");
        }

        if (!(MaxCv > 0))
        {
            throw new TunerInputException($"{where}: max_cv must be > 0, got {MaxCv}");
        }

        return HistoryNights < 1
            ? throw new TunerInputException($"{where}: history_nights must be >= 1, got {HistoryNights}")
            : this;
    }
}
