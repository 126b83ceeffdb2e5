using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.SequenceWarmup;

/// <summary>
/// Sequence-length warm-up (Li, Zhang and He, NeurIPS 2022): early batches train on the first L tokens of each sequence,
/// L growing linearly from <c>start</c> tokens to the full length at <c>full_at</c> of the schedule horizon (in steps of
/// <see cref="SequenceWarmupMath.Multiple"/>). A language model's targets are cut alike; a classifier keeps its labels.
/// Evaluation always sees full sequences.
/// </summary>
public sealed class SequenceWarmupTechnique(int start, double fullAt) : ITechnique
{
    public const string TechniqueName = "seq_warmup";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Data,
        Folder = "SequenceWarmup",
        Summary = "Trains on the first L tokens of each sequence, L growing linearly from start to the full length at full_at of the horizon (Transformers; evaluation at full length).",
        Paper = "Li, Zhang and He, The Stability-Efficiency Dilemma: Investigating Sequence Length Warmup for Training GPT Models, NeurIPS 2022",
        Options =
        [
            OptionSpec.Whole("start", 8, 1, 65_536, "tokens per sequence at the start"),
            OptionSpec.Number("full_at", 0.3, 1e-6, 1, "horizon fraction from which sequences are full length"),
        ],
        Requires = WorkloadFacts.TokenSequences,
        ActsOverHorizon = true,
        Order = 401,
        Create = o => new SequenceWarmupTechnique(o.Whole("start"), o.Number("full_at")),
        ProbeSummary = "the forward pass sees sequences cut to the scheduled length (targets alike for a language model), shorter than full early on",
        Probe = t => new SequenceWarmupProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["full_at"] = "0.5" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public int Start { get; } = start;

    public double FullAt { get; } = fullAt;

    /// <summary>The scheduled length for sequences of <paramref name="full"/> tokens at schedule fraction <paramref name="fraction"/>.</summary>
    public long Length(long full, double fraction) => SequenceWarmupMath.Length(full, Start, FullAt, fraction);

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent == TrainingEvent.AfterDataLoader && state?.Inputs is { } inputs && inputs.dim() == 2 && Length(inputs.shape[1], state.ScheduleFraction) < inputs.shape[1];

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        long length = Length(state.Inputs!.shape[1], state.ScheduleFraction);
        state.Inputs = state.Inputs.narrow(1, 0, length);
        if (state.Targets is { } targets && targets.dim() == 2)
        {
            state.Targets = targets.narrow(1, 0, length);
        }
    }
}

/// <summary>The schedule of <see cref="SequenceWarmupTechnique"/>.</summary>
public static class SequenceWarmupMath
{
    /// <summary>Scheduled lengths are whole multiples of this (as in the paper's runs; GEMMs prefer such shapes), except below it.</summary>
    public const int Multiple = 8;

    /// <summary>
    /// start + (full - start) x fraction / fullAt, rounded down to a multiple of <see cref="Multiple"/> (not below
    /// start, which is kept as given), at most <paramref name="full"/>; full from <paramref name="fullAt"/> on.
    /// </summary>
    public static long Length(long full, int start, double fullAt, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(full, 1);
        if (fraction >= fullAt || start >= full)
        {
            return full;
        }

        double exact = start + ((full - start) * Math.Max(0, fraction) / fullAt);
        long rounded = (long)Math.Floor(exact / Multiple) * Multiple;
        return Math.Clamp(Math.Max(rounded, start), 1, full);
    }
}

/// <summary>
/// At every forward pass the inputs are [B, L] with L the scheduled length for the batch's schedule fraction (targets
/// [B, L] for a language model); some batch was shorter than the loaded one; evaluation is not cut.
/// </summary>
internal sealed class SequenceWarmupProbe(ITechnique technique) : TechniqueProbe<SequenceWarmupTechnique>(technique)
{
    private long _loaded;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.AfterDataLoader && point == ObservationPoint.EventStart)
        {
            _loaded = state.Inputs!.shape[1];
            return;
        }

        if (trainingEvent != TrainingEvent.BeforeForward || point != ObservationPoint.EventStart)
        {
            return;
        }

        long want = Technique.Length(_loaded, state.ScheduleFraction);
        long have = state.Inputs!.shape[1];
        Expect(have == want, $"the forward pass sees sequences of {have} tokens at schedule fraction {state.ScheduleFraction:0.###}, not the scheduled {want} of {_loaded}");
        if (state.Targets!.dim() == 2)
        {
            Expect(state.Targets.shape[1] == have, $"the targets have {state.Targets.shape[1]} positions but the inputs {have}");
        }

        if (have < _loaded)
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no batch was shorter than its full length";
}
