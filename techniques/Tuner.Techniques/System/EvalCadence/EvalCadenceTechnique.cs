using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems.EvalCadence;

/// <summary>
/// Evaluates every <see cref="Every"/> training samples instead of the suite's cadence (set at FitStart). Evaluation is
/// not charged to the budget, but its cadence is the resolution of time-to-target: evaluating more often detects the
/// target earlier and costs more wall-clock time outside the budget.
/// </summary>
public sealed class EvalCadenceTechnique(int every) : ITechnique
{
    public const string TechniqueName = "eval_cadence";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.System,
        Folder = "EvalCadence",
        Summary = "Evaluates every `samples` training samples instead of the suite's cadence: finer time-to-target resolution for more (uncharged) evaluation time.",
        Paper = "Dahl et al., Benchmarking Neural Network Training Algorithms (AlgoPerf), 2023; Mattson et al., MLPerf Training Benchmark, MLSys 2020",
        Options = [OptionSpec.Whole("samples", 6400, 1, 1_000_000_000, "training samples between evaluations")],
        Order = 110,
        Create = o => new EvalCadenceTechnique(o.Whole("samples")),
        ProbeSummary = "validation happens exactly at the first step reaching each multiple of `samples` training samples (and at the end)",
        Probe = t => new EvalCadenceProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["samples"] = "96" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.System;

    public int Every { get; } = every;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.FitStart;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.EvalEverySamples = Every;
    }
}
