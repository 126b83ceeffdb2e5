using System.Globalization;
using System.Text.Json.Serialization;

namespace Tuner.Core.Trials;

/// <summary>
/// The metrics a target can be set on, with their direction: <c>accuracy</c> (share of the validation split classified
/// right, per token for a language model; higher is better, a target in (0, 1]); <c>loss</c> (mean cross-entropy on the
/// validation split in nats, lower is better, a target above 0); for language models the same loss as
/// <c>bits_per_char</c> (loss / ln 2: bits per token, which are characters in the character-level suites; above 0) and
/// <c>perplexity</c> (e^loss; above 1). A target on a lower-is-better metric is reached when the metric falls to it.
/// </summary>
public static class TargetMetrics
{
    public const string Accuracy = "accuracy";

    public const string Loss = "loss";

    public const string BitsPerChar = "bits_per_char";

    public const string Perplexity = "perplexity";

    public static IReadOnlyList<string> Known { get; } = [Accuracy, Loss, BitsPerChar, Perplexity];

    /// <summary>The value of <paramref name="metric"/> for a split with mean cross-entropy <paramref name="meanLoss"/> (nats) and <paramref name="accuracy"/>.</summary>
    public static double FromLoss(string metric, double meanLoss, double accuracy) => metric switch
    {
        Loss => meanLoss,
        BitsPerChar => meanLoss / Math.Log(2),
        Perplexity => Math.Exp(meanLoss),
        _ => accuracy,
    };

    /// <summary>True for a metric that is better when lower (<c>loss</c>; also as a study names it, <c>validation loss</c>).</summary>
    public static bool LowerIsBetter(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        string bare = metric.StartsWith("validation ", StringComparison.Ordinal) ? metric["validation ".Length..] : metric;
        return bare is Loss or BitsPerChar or Perplexity;
    }

    /// <summary>Null when <paramref name="value"/> is a possible target for <paramref name="metric"/>, else what a valid one is (ends a one-line error).</summary>
    public static string? Check(string metric, double value) => metric switch
    {
        Accuracy => value > 0 && value <= 1 ? null : "give an accuracy in (0, 1], e.g. 0.9",
        Loss => value > 0 && double.IsFinite(value) ? null : "give a validation loss above 0 (mean cross-entropy in nats; lower is better), e.g. 0.3",
        BitsPerChar => value > 0 && double.IsFinite(value) ? null : "give bits per character above 0 (lower is better), e.g. 2.2",
        Perplexity => value > 1 && double.IsFinite(value) ? null : "give a perplexity above 1 (lower is better), e.g. 4.5",
        _ => $"the metric '{metric}' is not one of {string.Join(", ", Known)}",
    };
}

/// <summary>
/// The goal of a suite: <see cref="Metric"/> on the validation split must reach <see cref="Value"/>, at least it for
/// accuracy, at most it for loss (see <see cref="TargetMetrics"/>).
/// </summary>
public sealed record TargetSpec(string Metric, double Value)
{
    /// <summary>
    /// The metric as studies and nightly histories name it (<c>validation accuracy</c>): measurement protocol 2 checks
    /// the target on the validation split. Studies made before it (target checked on the test split) were named by the
    /// bare metric, so they are refused as "created with another target" rather than mixed with new trials.
    /// </summary>
    public string StudyMetric => "validation " + Metric;

    /// <summary>True for loss: the target is reached when the metric falls to <see cref="Value"/>.</summary>
    [JsonIgnore]
    public bool LowerIsBetter => TargetMetrics.LowerIsBetter(Metric);

    /// <summary>The same metric with a target no run reaches (warm-ups, benchmarks that must run their whole budget).</summary>
    [JsonIgnore]
    public TargetSpec Unreachable => this with { Value = LowerIsBetter ? double.NegativeInfinity : double.PositiveInfinity };

    public bool IsReachedBy(double metricValue) => LowerIsBetter ? metricValue <= Value : metricValue >= Value;

    /// <summary>Whether <paramref name="candidate"/> is strictly better than <paramref name="than"/> in this metric's direction.</summary>
    public bool IsBetter(double candidate, double than) => LowerIsBetter ? candidate < than : candidate > than;

    /// <summary>The better of two values (a null or NaN side loses).</summary>
    public double? Best(double? a, double b) => a is not double x || double.IsNaN(x) ? b : double.IsNaN(b) ? x : IsBetter(b, x) ? b : x;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Metric} {(LowerIsBetter ? "<=" : ">=")} {Value:0.####}");
}
