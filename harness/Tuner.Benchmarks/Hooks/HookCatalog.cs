using System.Globalization;
using Tuner.Core.Configuration;
using Tuner.Suites.Specs;
using Tuner.Techniques;
using Tuner.Training.Engine;

namespace Tuner.Benchmarks.Hooks;

/// <summary>One technique, with its contract settings, on the suite it is benchmarked on.</summary>
/// <param name="Technique">The registry name.</param>
/// <param name="Suite">The suite its steps run on.</param>
/// <param name="Spec">The technique with its contract settings.</param>
/// <param name="Note">Why it is not on <see cref="HookCatalog.ChosenSuite"/>, when it is not.</param>
/// <param name="ActsAt">The events it acted at in the probe run ("FitStart, BeforeLoss, AfterLoss").</param>
public sealed record HookCase(string Technique, string Suite, TechniqueSpec Spec, string? Note, string ActsAt)
{
    /// <summary>Whether the suite's model is a cnn (its steps cost ~12x an MLP step: <see cref="CnnHookBenchmarks"/> runs fewer per invocation).</summary>
    public bool OnCnn => SuiteCatalog.Resolve(Suite).DescribedModel.Kind == "cnn";

    /// <summary>What BenchmarkDotNet shows in the Case column.</summary>
    public override string ToString() => Suite == HookCatalog.ChosenSuite ? Technique : $"{Technique} @ {Suite}";
}

/// <summary>A registered technique that could not be benchmarked, and why.</summary>
/// <param name="Technique">The registry name.</param>
/// <param name="Reason">One line.</param>
public sealed record SkippedHook(string Technique, string Reason);

/// <summary>
/// Every technique of <see cref="TechniqueRegistry.All"/> (new ones included automatically), with its contract
/// settings, on the suites where it applies (its declared prerequisites against the suites' facts): <see cref="ChosenSuite"/>
/// when it applies there, and also fashion-cnn for the techniques meant for images and convolutions, digits-resmlp for
/// the residual-only ones. A technique, or a technique on a suite, that cannot train is
/// kept with its reason in <see cref="Skipped"/> and printed, never dropped silently. The probe runs once per process,
/// when BenchmarkDotNet first asks for the cases.
/// </summary>
public static class HookCatalog
{
    /// <summary>The suite the techniques are benchmarked on where they run: Fashion-MNIST, MLP 784-256-10, batch 128.</summary>
    public const string ChosenSuite = "fashion-mlp";

    private const int ProbeSteps = 2;

    private static readonly Lazy<(IReadOnlyList<HookCase> Cases, IReadOnlyList<SkippedHook> Skipped)> Probed = new(Probe);

    /// <summary>Restricts the cases to these techniques (the <c>--techniques</c> option); null: every registered technique. Set before the cases are first read.</summary>
    public static IReadOnlySet<string>? Only { get; set; }

    /// <summary>The benchmarked cases, in registry order.</summary>
    public static IReadOnlyList<HookCase> Cases => Probed.Value.Cases;

    /// <summary>Techniques (or a technique on its contract suite) that could not train where tried, with the reason.</summary>
    public static IReadOnlyList<SkippedHook> Skipped => Probed.Value.Skipped;

    private static (IReadOnlyList<HookCase> Cases, IReadOnlyList<SkippedHook> Skipped) Probe()
    {
        var cases = new List<HookCase>();
        var skipped = new List<SkippedHook>();
        TechniqueDescriptor[] descriptors = [.. TechniqueRegistry.All.Where(d => Only is null || Only.Contains(d.Name))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hooks: probing {descriptors.Length} techniques ({ProbeSteps} steps each, contract settings) on {ChosenSuite}"));
        foreach (TechniqueDescriptor descriptor in descriptors)
        {
            TechniqueSpec spec = new(descriptor.Name, descriptor.ContractOptions);
            foreach (string suiteName in SuitesFor(descriptor))
            {
                string? failure = TryRun(spec, suiteName, out string trace);
                string? note = suiteName == ChosenSuite ? null : TechniqueRegistry.NotApplicable(descriptor.Name, SuiteCatalog.Resolve(ChosenSuite).Facts, ChosenSuite) ?? $"also on {suiteName}: it is meant for its model";
                if (failure is null)
                {
                    cases.Add(new HookCase(descriptor.Name, suiteName, spec, note, Events(trace)));
                    Console.WriteLine($"  {descriptor.Name,-22} {suiteName,-14} acts at {trace}");
                }
                else
                {
                    skipped.Add(new SkippedHook(suiteName == ChosenSuite ? descriptor.Name : $"{descriptor.Name} @ {suiteName}", $"fails on {suiteName}: {failure}"));
                    Console.WriteLine($"  {descriptor.Name,-22} SKIPPED on {suiteName}: {failure}");
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hooks: {cases.Count} cases of {descriptors.Length} techniques ({cases.Count(c => c.Suite == ChosenSuite)} on {ChosenSuite}, {cases.Count(c => c.Suite != ChosenSuite)} on the suite their model needs), {skipped.Count} skipped"));
        return (cases, skipped);
    }

    /// <summary>
    /// Where a technique is benchmarked: <see cref="ChosenSuite"/> when it applies there; fashion-cnn too when it is meant
    /// for images or convolutions or in <see cref="AlsoOnCnn"/>, digits-resmlp when it needs residual blocks.
    /// </summary>
    /// <summary>
    /// Techniques whose cost depends on how a step's time splits between forward and backward, so they are measured on the
    /// cnn too: on the MLP the backward costs about as much as the forward (the first layer's input gradient is never
    /// needed), on the cnn it costs several times more.
    /// </summary>
    private static readonly HashSet<string> AlsoOnCnn = new(StringComparer.Ordinal) { "selective_backprop", "precision" };

    private static IEnumerable<string> SuitesFor(TechniqueDescriptor descriptor)
    {
        if (descriptor.AppliesTo(SuiteCatalog.Resolve(ChosenSuite).Facts))
        {
            yield return ChosenSuite;
        }

        if ((descriptor.Requires & (Core.Workloads.WorkloadFacts.Images | Core.Workloads.WorkloadFacts.Convolutions)) != 0 || AlsoOnCnn.Contains(descriptor.Name))
        {
            yield return "fashion-cnn";
        }

        if (descriptor.Requires.HasFlag(Core.Workloads.WorkloadFacts.ResidualBlocks))
        {
            yield return "digits-resmlp";
        }
    }

    /// <summary>"FitStart x1, BeforeLoss x2" to "FitStart, BeforeLoss".</summary>
    private static string Events(string trace) =>
        string.Join(", ", trace.Split(", ", StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split(' ')[0]));

    /// <summary>A short run of <paramref name="spec"/> on <paramref name="suiteName"/>: null when it trained, else the reason it did not.</summary>
    private static string? TryRun(TechniqueSpec spec, string suiteName, out string trace)
    {
        trace = string.Empty;
        ITechnique technique;
        try
        {
            technique = TechniqueRegistry.Create(spec);
        }
        catch (Core.Errors.TunerInputException ex)
        {
            return ex.Message;
        }

        try
        {
            LoadedSuite suite = HookSuites.Get(suiteName);
            TrainingOutcome outcome = BudgetedTrainer.Run(HookSuites.Request(suite, [spec], [technique], ProbeSteps), null, CancellationToken.None);
            string prefix = $":{spec.Name} x";
            trace = string.Join(", ", outcome.Trace.Where(t => t.Contains(prefix, StringComparison.Ordinal)).Select(t => t.Replace(prefix, " x", StringComparison.Ordinal)));
            return outcome.Status is Core.Trials.TrialStatus.Failed or Core.Trials.TrialStatus.Diverged || outcome.Steps != ProbeSteps
                ? outcome.FailureReason ?? $"{outcome.Status} after {outcome.Steps} steps"
                : null;
        }
        finally
        {
            (technique as IDisposable)?.Dispose();
        }
    }
}
