using System.Globalization;
using Tuner.Core.Configuration;
using Tuner.Core.Workloads;

namespace Tuner.Search.Space;

/// <summary>
/// The space searched when no <c>--space</c> file is given, built around a suite's baseline recipe: the learning rate
/// on a log scale from a third to four times the baseline's, the batch size at half, equal and twice the baseline's,
/// the optimizer (the baseline's, plus SGD with Nesterov momentum when the baseline is SGD), and five techniques that
/// are cheap per step and often shorten time-to-target (bf16 precision, EMA of the weights, Lookahead, label smoothing,
/// a cosine schedule) and, for Transformer suites, sequence-length warm-up (measured on bible-lm: 1.53x alone), at most
/// four at once, in the library's canonical order; a technique that does not apply to the suite is left out; with cosine
/// or sequence warm-up in the space, the schedule horizon (a quarter, half or all of the budget). Evaluation cadence
/// is not searched: evaluation is not charged, so evaluating more often would shorten time-to-target for free.
/// </summary>
public static class DefaultSpace
{
    public static SearchSpace For(TrainingConfiguration baseline, ITechniqueCatalog catalog, WorkloadFacts facts, string suite)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(catalog);
        int b = baseline.BatchSize;
        string[] batches = [.. new[] { Math.Max(1, b / 2), b, b * 2 }.Distinct().Select(v => v.ToString(CultureInfo.InvariantCulture))];
        var parameters = new List<Parameter>
        {
            new RangeParameter("lr", baseline.LearningRate / 3, baseline.LearningRate * 4, log: true),
            new ChoiceParameter("batch_size", batches),
        };
        if (baseline.Optimizer == OptimizerCatalog.Sgd && baseline.OptimizerOptions.Count == 0)
        {
            parameters.Add(new ChoiceParameter("optimizer", [OptimizerCatalog.Sgd, OptimizerCatalog.Nesterov]));
        }

        var techniques = new List<TechniqueDimension>
        {
            new("precision"),
            new("ema", options: [new ChoiceParameter("decay", ["0.99", "0.999"])]),
            new("lookahead"),
            new("label_smoothing", options: [new RangeParameter("alpha", 0.02, 0.2)]),
            new("cosine"),
            new("seq_warmup", options: [new ChoiceParameter("full_at", ["0.1", "0.2", "0.3"])]),
        };
        techniques.RemoveAll(t => !catalog.Contains(t.Name) || catalog.NotApplicable(t.Name, facts, suite) is not null);
        techniques = [.. techniques.OrderBy(t => catalog.OrderOf(t.Name))];
        if (techniques.Any(t => t.Name is "cosine" or "seq_warmup"))
        {
            // The schedule's horizon (AlgoPerf's step hint): a cosine over the whole budget has barely begun when the target is reached.
            parameters.Add(new ChoiceParameter("horizon", ["0.25", "0.5", "1"]));
        }

        var names = techniques.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var conflicts = techniques.SelectMany(t => catalog.ConflictsOf(t.Name).Where(names.Contains).Select(c => (t.Name, c)));
        return new SearchSpace(baseline, parameters, techniques, conflicts, maxTechniques: 4);
    }
}
