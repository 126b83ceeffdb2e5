using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Techniques.Budget.BudgetLinearDecay;
using Tuner.Techniques.Budget.Rex;
using Tuner.Techniques.Data.Augment;
using Tuner.Techniques.Data.Curriculum;
using Tuner.Techniques.Data.CutMix;
using Tuner.Techniques.Data.DataPruning;
using Tuner.Techniques.Data.ImportanceSampling;
using Tuner.Techniques.Data.MixUp;
using Tuner.Techniques.Data.ProgressiveResizing;
using Tuner.Techniques.Data.SelectiveBackprop;
using Tuner.Techniques.Data.SequenceWarmup;
using Tuner.Techniques.Model.ChannelsLast;
using Tuner.Techniques.Model.Init;
using Tuner.Techniques.Model.LayerDrop;
using Tuner.Techniques.Model.LayerFreezing;
using Tuner.Techniques.Model.LayerStacking;
using Tuner.Techniques.Model.MagnitudePruning;
using Tuner.Techniques.Model.ModelScaling;
using Tuner.Techniques.Model.Precision;
using Tuner.Techniques.Model.StochasticDepth;
using Tuner.Techniques.Optimization.Cosine;
using Tuner.Techniques.Optimization.Ema;
using Tuner.Techniques.Optimization.GradientClipping;
using Tuner.Techniques.Optimization.LabelSmoothing;
using Tuner.Techniques.Optimization.LargeBatch;
using Tuner.Techniques.Optimization.LinearWarmup;
using Tuner.Techniques.Optimization.Lookahead;
using Tuner.Techniques.Optimization.OneCycle;
using Tuner.Techniques.Optimization.Sam;
using Tuner.Techniques.Optimization.StepSchedule;
using Tuner.Techniques.Optimization.Swa;
using Tuner.Techniques.Systems.ActivationCheckpointing;
using Tuner.Techniques.Systems.Attention;
using Tuner.Techniques.Systems.BatchSize;
using Tuner.Techniques.Systems.EvalCadence;
using Tuner.Techniques.Systems.GradAccumulation;
using Tuner.Techniques.Systems.InjectedSlowdown;
using Tuner.Techniques.Systems.Prefetch;
using Tuner.Techniques.Systems.Threads;
using Tuner.Training.Engine;

namespace Tuner.Techniques;

/// <summary>
/// The technique library: the list of every technique's descriptor (each declared in its own folder), in canonical
/// order; parsing of <c>--technique name[:key=value,...]</c>; validation (duplicates, conflicts, applicability); and
/// creation in canonical order.
/// </summary>
public static class TechniqueRegistry
{
    /// <summary>Every technique, in canonical order (<see cref="TechniqueDescriptor.Order"/>).</summary>
    public static readonly IReadOnlyList<TechniqueDescriptor> All = [.. new[]
    {
        ThreadsTechnique.Descriptor,
        EvalCadenceTechnique.Descriptor,
        BatchSizeTechnique.Descriptor,
        GradAccumulationTechnique.Descriptor,
        ActivationCheckpointingTechnique.Descriptor,
        LargeBatchTechnique.Descriptor,
        ModelScalingTechnique.Descriptor,
        AttentionTechnique.Descriptor,
        InitTechnique.OrthogonalDescriptor,
        InitTechnique.ZeroLastDescriptor,
        InitTechnique.FixupDescriptor,
        ChannelsLastTechnique.Descriptor,
        PrecisionTechnique.Descriptor,
        LayerFreezingTechnique.Descriptor,
        StochasticDepthTechnique.Descriptor,
        LayerDropTechnique.Descriptor,
        LayerStackingTechnique.Descriptor,
        CurriculumTechnique.Descriptor,
        DataPruningTechnique.Descriptor,
        PrefetchTechnique.Descriptor,
        LabelSmoothingTechnique.Descriptor,
        ProgressiveResizingTechnique.Descriptor,
        SequenceWarmupTechnique.Descriptor,
        AugmentTechnique.Descriptor,
        SelectiveBackpropTechnique.Descriptor,
        MixUpTechnique.Descriptor,
        CutMixTechnique.Descriptor,
        ImportanceSamplingTechnique.Descriptor,
        CosineTechnique.Descriptor,
        OneCycleTechnique.Descriptor,
        StepScheduleTechnique.Descriptor,
        BudgetLinearDecayTechnique.Descriptor,
        RexTechnique.Descriptor,
        LinearWarmupTechnique.Descriptor,
        SamTechnique.Descriptor,
        GradientClippingTechnique.Descriptor,
        LookaheadTechnique.Descriptor,
        MagnitudePruningTechnique.Descriptor,
        EmaTechnique.Descriptor,
        SwaTechnique.Descriptor,
    }.OrderBy(d => d.Order)];

    /// <summary>The techniques the harness adds itself (<see cref="TechniqueDescriptor.Internal"/>): found by <see cref="Find"/>, refused by <see cref="Parse"/>.</summary>
    public static readonly IReadOnlyList<TechniqueDescriptor> Internals = [InjectedSlowdownTechnique.Descriptor];

    /// <summary>A technique by name, internal ones included (a configuration the harness made may hold one).</summary>
    public static TechniqueDescriptor? Find(string name) =>
        All.Concat(Internals).FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses <c>name</c> or <c>name:key=value,key=value</c> and validates the options now, not at the first batch.</summary>
    public static TechniqueSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        string name = (colon < 0 ? trimmed : trimmed[..colon]).Trim().ToLowerInvariant().Replace('-', '_');
        TechniqueDescriptor descriptor = Find(name) is { Internal: false } found ? found : throw UnknownTechnique(name);
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (colon >= 0)
        {
            if (string.IsNullOrWhiteSpace(trimmed[(colon + 1)..].Replace(',', ' ')))
            {
                throw new TunerInputException($"technique {descriptor.Name}: nothing after ':': write {descriptor.Name} or {descriptor.Name}:key=value[,key=value]");
            }

            foreach (string part in trimmed[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == part.Length - 1)
                {
                    throw new TunerInputException($"technique {descriptor.Name}: malformed option '{part}': write {descriptor.Name}:key=value[,key=value]");
                }

                string key = part[..eq].Trim().ToLowerInvariant();
                if (options.ContainsKey(key))
                {
                    throw new TunerInputException($"technique {descriptor.Name}: option {key} is given twice: give it once");
                }

                options[key] = part[(eq + 1)..].Trim();
            }
        }

        var spec = new TechniqueSpec(descriptor.Name, options);
        Create(spec);
        return spec;
    }

    /// <summary>The specs in canonical order (the order techniques act in, whatever order they were listed in).</summary>
    public static IReadOnlyList<TechniqueSpec> Canonical(IEnumerable<TechniqueSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        return [.. specs.OrderBy(s => Find(s.Name)?.Order ?? int.MaxValue).ThenBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>Validates (duplicates, conflicts) and builds every technique of a configuration, in canonical order.</summary>
    public static IReadOnlyList<ITechnique> CreateAll(IReadOnlyList<TechniqueSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        Validate(specs);
        return [.. Canonical(specs).Select(Create)];
    }

    /// <summary>One-line input error for an unknown or duplicated technique or a declared conflicting pair.</summary>
    public static void Validate(IReadOnlyList<TechniqueSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (TechniqueSpec spec in specs)
        {
            TechniqueDescriptor descriptor = Find(spec.Name) ?? throw UnknownTechnique(spec.Name);
            if (!seen.Add(descriptor.Name))
            {
                throw new TunerInputException($"technique {descriptor.Name} is given twice: give it once, with all its options");
            }
        }

        foreach (TechniqueSpec spec in Canonical(specs))
        {
            TechniqueDescriptor descriptor = Find(spec.Name)!;
            string? other = descriptor.Conflicts.FirstOrDefault(seen.Contains);
            if (other is not null)
            {
                throw new TunerInputException($"techniques {descriptor.Name} and {other} conflict: {ConflictReason(descriptor.Name, other)}; use one of them");
            }
        }
    }

    /// <summary>As <see cref="Validate(IReadOnlyList{TechniqueSpec})"/>, and a one-line error for a technique that cannot run on suite <paramref name="suite"/>.</summary>
    public static void Validate(IReadOnlyList<TechniqueSpec> specs, WorkloadFacts facts, string suite)
    {
        Validate(specs);
        foreach (TechniqueSpec spec in Canonical(specs))
        {
            if (NotApplicable(spec.Name, facts, suite) is string reason)
            {
                throw new TunerInputException(reason);
            }
        }
    }

    /// <summary>Null when technique <paramref name="name"/> can run on a workload with <paramref name="facts"/>; else the one-line reason, naming the fix.</summary>
    public static string? NotApplicable(string name, WorkloadFacts facts, string suite)
    {
        TechniqueDescriptor descriptor = Find(name) ?? throw UnknownTechnique(name);
        WorkloadFacts missing = descriptor.Missing(facts);
        if (missing == WorkloadFacts.None)
        {
            return null;
        }

        string needs = string.Join(" and ", WorkloadFactsText.Each(missing).Select(WorkloadFactsText.Describe));
        return $"technique {descriptor.Name} does not apply to suite {suite}: it needs {needs}; `tuner list techniques --suite {suite}` lists the ones that do";
    }

    public static ITechnique Create(TechniqueSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        TechniqueDescriptor descriptor = Find(spec.Name) ?? throw UnknownTechnique(spec.Name);
        return descriptor.Create(new OptionValues($"technique {descriptor.Name}", descriptor.Options, spec.Options));
    }

    private static string ConflictReason(string a, string b)
    {
        string[] schedules = [CosineTechnique.TechniqueName, OneCycleTechnique.TechniqueName, StepScheduleTechnique.TechniqueName, BudgetLinearDecayTechnique.TechniqueName, RexTechnique.TechniqueName];
        string[] orders = [CurriculumTechnique.TechniqueName, DataPruningTechnique.TechniqueName, ImportanceSamplingTechnique.TechniqueName];
        string[] inits = [InitTechnique.ZeroLastName, InitTechnique.OrthogonalName, InitTechnique.FixupName];
        return (a, b) switch
        {
            _ when schedules.Contains(a) && schedules.Contains(b) => "both are learning-rate schedules over the budget",
            _ when orders.Contains(a) && orders.Contains(b) => "both choose the epoch's rows",
            _ when inits.Contains(a) && inits.Contains(b) => "both initialize the weights",
            _ when new[] { a, b }.Order(StringComparer.Ordinal).SequenceEqual([CutMixTechnique.TechniqueName, MixUpTechnique.TechniqueName]) => "both mix each image with a partner",
            _ when new[] { a, b }.Order(StringComparer.Ordinal).SequenceEqual([EmaTechnique.TechniqueName, SwaTechnique.TechniqueName]) => "both evaluate an average of the weights",
            _ when new[] { a, b }.Order(StringComparer.Ordinal).SequenceEqual([BatchSizeTechnique.TechniqueName, LargeBatchTechnique.TechniqueName]) => "both set the batch size",
            _ when a == GradAccumulationTechnique.TechniqueName || b == GradAccumulationTechnique.TechniqueName =>
                "the other one pairs or selects rows across the whole batch, which grad_accumulation trains in parts (not combined yet)",
            _ => "they change the same thing",
        };
    }

    private static TunerInputException UnknownTechnique(string name) =>
        OptimizerCatalog.Find(name) is not null
            ? new($"'{name}' is an optimizer, not a technique: choose it with --set optimizer={name} (tuner list optimizers)")
            : name.Contains(',', StringComparison.Ordinal) && name.Split(',').All(n => Find(n.Trim()) is not null)
                ? new($"'{name}' names several techniques: give each its own --technique, e.g. {string.Join(" ", name.Split(',').Select(n => "-t " + n.Trim()))}")
                : new($"unknown technique '{name}': use one of {string.Join(", ", All.Select(d => d.Name))} (tuner list techniques)");
}
