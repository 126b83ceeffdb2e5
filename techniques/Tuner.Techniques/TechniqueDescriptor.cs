using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Training.Engine;

namespace Tuner.Techniques;

/// <summary>
/// Everything about one technique, declared once in its own folder (after Polly's folder per strategy): what
/// <c>tuner list techniques</c> shows, its typed options (help text, parsing and validation come from them), the facts a
/// workload must offer, the techniques it cannot be combined with, where it acts in the library's canonical order, how to
/// build it, and the probe that proves its mechanism acted. <see cref="TechniqueRegistry.All"/> is the list of these.
/// </summary>
public sealed record TechniqueDescriptor
{
    /// <summary>The name used on the command line (snake_case).</summary>
    public required string Name { get; init; }

    /// <summary>Survey family.</summary>
    public required TechniqueCategory Category { get; init; }

    /// <summary>The technique's folder under its family: techniques/Tuner.Techniques/{Category}/{Folder}/ (tests mirror it).</summary>
    public required string Folder { get; init; }

    /// <summary>What it does, one sentence.</summary>
    public required string Summary { get; init; }

    /// <summary>The paper it comes from.</summary>
    public required string Paper { get; init; }

    /// <summary>Its options, each with name, kind, default, range and help.</summary>
    public IReadOnlyList<OptionSpec> Options { get; init; } = [];

    /// <summary>Facts the workload must offer (images, residual blocks, ...); where one is missing the technique is not applicable.</summary>
    public WorkloadFacts Requires { get; init; }

    /// <summary>Techniques it cannot be combined with (declared on both sides; a validation error naming both).</summary>
    public IReadOnlyList<string> Conflicts { get; init; } = [];

    /// <summary>
    /// True when the technique acts over the schedule horizon (it reads <c>TrainingState.ScheduleFraction</c>: learning-rate
    /// schedules, swa's start, layer freezing, progressive resizing, magnitude pruning), so its effect depends on
    /// <c>--set horizon</c>; <c>tuner effects</c> measures these at a horizon near the baseline's time-to-target too.
    /// </summary>
    public bool ActsOverHorizon { get; init; }

    /// <summary>
    /// The harness adds it (the nightly's injected slowdown); users cannot name it, and it is not in <see cref="TechniqueRegistry.All"/>, so
    /// it is never listed, searched, measured by <c>tuner effects</c> or checked in pairs by the contract tests.
    /// </summary>
    public bool Internal { get; init; }

    /// <summary>
    /// Its place in the canonical order (unique; lower acts first at every event, last at After* events, BatchEnd,
    /// EvalEnd and FitEnd, and sits further inside the loss chain). Never taken from a command line, space file or manifest.
    /// </summary>
    public required int Order { get; init; }

    /// <summary>Builds the technique from its validated options.</summary>
    public required Func<OptionValues, ITechnique> Create { get; init; }

    /// <summary>What <see cref="Probe"/> checks, one sentence (the observable that shows the mechanism acted).</summary>
    public required string ProbeSummary { get; init; }

    /// <summary>Builds the observer that watches a run of the technique and says whether its mechanism acted as its paper says.</summary>
    public required Func<ITechnique, ITechniqueProbe> Probe { get; init; }

    /// <summary>Options for the contract tests' short runs, where the defaults would not act within them (e.g. a schedule's start at 0).</summary>
    public IReadOnlyDictionary<string, string> ContractOptions { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether the technique can run on a workload with <paramref name="facts"/>.</summary>
    public bool AppliesTo(WorkloadFacts facts) => (Requires & ~facts) == WorkloadFacts.None;

    /// <summary>The facts it needs that <paramref name="facts"/> lack.</summary>
    public WorkloadFacts Missing(WorkloadFacts facts) => Requires & ~facts;

    /// <summary>"help, [min, max], default d" per option, for help texts.</summary>
    public IEnumerable<string> OptionHelp() => Options.Select(o => $"{o.Name}: {o.Describe()}");
}

/// <summary>
/// Watches one run of a technique (an <see cref="ITrainingObserver"/>) and decides whether the technique's mechanism
/// acted: EMA evaluated the running average, label smoothing's targets carried alpha/K on every class, frozen layers
/// stayed put... Contract tests run every technique's probe alone, with every optimizer and in every compatible pair.
/// </summary>
public interface ITechniqueProbe : ITrainingObserver
{
    /// <summary>Null when the mechanism was seen to act; otherwise one line saying what was expected and not seen.</summary>
    string? Verdict(TrainingOutcome outcome);
}
