using System.Globalization;

namespace Tuner.Core.Configuration;

/// <summary>
/// One point of the search space: the training recipe of a trial. The suite supplies the model, data and target;
/// this says how to train. Immutable; change it with <c>with</c> or <see cref="ConfigurationOverrides"/>.
/// </summary>
public sealed record TrainingConfiguration
{
    /// <summary>The optimizer the engine steps once per batch (<see cref="OptimizerCatalog"/>): sgd, nesterov, adam, adamw, lamb or lars.</summary>
    public string Optimizer { get; init; } = "sgd";

    /// <summary>The optimizer's own options as given (text, validated against <see cref="OptimizerCatalog"/>); empty for its defaults.</summary>
    public IReadOnlyDictionary<string, string> OptimizerOptions { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public double LearningRate { get; init; } = 0.1;

    public int BatchSize { get; init; } = 128;

    /// <summary>Momentum of sgd, nesterov and lars (the Adam family uses its beta1 option instead).</summary>
    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; }

    /// <summary>
    /// Evaluate on the validation split every this many training samples (at the first step that reaches each multiple,
    /// and at the end of the budget), so configurations with different batch sizes are checked on the same grid of samples.
    /// </summary>
    public long EvalEverySamples { get; init; } = 12_800;

    /// <summary>
    /// The fraction of the budget over which schedules and budget-fraction triggers act (cosine, one_cycle, step, rex,
    /// linear decay, swa's start, layer_freezing, progressive_resizing, magnitude_pruning): 1 (the default) is the whole
    /// budget; 0.25 runs a schedule's whole course in the first quarter and holds its end after that (AlgoPerf's step hint).
    /// Ignored when <see cref="HorizonSamples"/> is set.
    /// </summary>
    public double HorizonFraction { get; init; } = 1.0;

    /// <summary>The schedules' horizon as a number of training samples, instead of <see cref="HorizonFraction"/>; null when not set.</summary>
    public long? HorizonSamples { get; init; }

    public IReadOnlyList<TechniqueSpec> Techniques { get; init; } = Array.Empty<TechniqueSpec>();

    public bool Equals(TrainingConfiguration? other) =>
        other is not null && Optimizer == other.Optimizer && SameOptions(OptimizerOptions, other.OptimizerOptions) && LearningRate.Equals(other.LearningRate) &&
        BatchSize == other.BatchSize && Momentum.Equals(other.Momentum) && WeightDecay.Equals(other.WeightDecay) &&
        EvalEverySamples == other.EvalEverySamples && HorizonFraction.Equals(other.HorizonFraction) && HorizonSamples == other.HorizonSamples &&
        Techniques.SequenceEqual(other.Techniques);

    public override int GetHashCode() => HashCode.Combine(Optimizer, LearningRate, BatchSize, Momentum, WeightDecay, EvalEverySamples, HorizonFraction, Techniques.Count);

    /// <summary>The horizon as <c>--set horizon=</c> writes it: a fraction (<c>1</c>, <c>0.25</c>) or a sample count (<c>200000samples</c>).</summary>
    public string HorizonText => HorizonSamples is long samples
        ? string.Create(CultureInfo.InvariantCulture, $"{samples}samples")
        : HorizonFraction.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The <c>--set</c> arguments that reproduce this configuration on the command line.</summary>
    public IEnumerable<string> ToSetArguments()
    {
        yield return OptimizerOptions.Count == 0
            ? $"optimizer={Optimizer}"
            : $"optimizer={Optimizer}:" + string.Join(",", OptimizerOptions.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        yield return string.Create(CultureInfo.InvariantCulture, $"lr={LearningRate:R}");
        yield return string.Create(CultureInfo.InvariantCulture, $"batch_size={BatchSize}");
        yield return string.Create(CultureInfo.InvariantCulture, $"momentum={Momentum:R}");
        yield return string.Create(CultureInfo.InvariantCulture, $"weight_decay={WeightDecay:R}");
        yield return string.Create(CultureInfo.InvariantCulture, $"eval_samples={EvalEverySamples}");
        yield return $"horizon={HorizonText}";
    }

    private static bool SameOptions(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out string? v) && v == kv.Value);

    public override string ToString() =>
        string.Join(" ", ToSetArguments()) + (Techniques.Count == 0 ? string.Empty : " " + string.Join(" ", Techniques));
}
