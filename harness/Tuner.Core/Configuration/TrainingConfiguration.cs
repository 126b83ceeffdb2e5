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

    /// <summary>Evaluate on the held-out split every this many optimizer steps (and at the end of the budget).</summary>
    public int EvalEverySteps { get; init; } = 100;

    public IReadOnlyList<TechniqueSpec> Techniques { get; init; } = Array.Empty<TechniqueSpec>();

    public bool Equals(TrainingConfiguration? other) =>
        other is not null && Optimizer == other.Optimizer && SameOptions(OptimizerOptions, other.OptimizerOptions) && LearningRate.Equals(other.LearningRate) &&
        BatchSize == other.BatchSize && Momentum.Equals(other.Momentum) && WeightDecay.Equals(other.WeightDecay) &&
        EvalEverySteps == other.EvalEverySteps && Techniques.SequenceEqual(other.Techniques);

    public override int GetHashCode() => HashCode.Combine(Optimizer, LearningRate, BatchSize, Momentum, WeightDecay, EvalEverySteps, Techniques.Count);

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
        yield return string.Create(CultureInfo.InvariantCulture, $"eval_every={EvalEverySteps}");
    }

    private static bool SameOptions(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out string? v) && v == kv.Value);

    public override string ToString() =>
        string.Join(" ", ToSetArguments()) + (Techniques.Count == 0 ? string.Empty : " " + string.Join(" ", Techniques));
}
