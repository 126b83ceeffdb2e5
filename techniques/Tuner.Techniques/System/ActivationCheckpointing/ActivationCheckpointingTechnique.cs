using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Techniques.Model;
using Tuner.Training.Engine;
using Tuner.Training.Models;

namespace Tuner.Techniques.Systems.ActivationCheckpointing;

/// <summary>
/// Activation checkpointing (gradient checkpointing): every <c>every</c>-th Transformer block keeps only its input in the
/// training forward pass and recomputes its activations during backward (<see cref="TransformerBlock.Checkpoint"/>). The
/// gradients are the same; the activation memory of a checkpointed block drops to one [B, T, d] tensor; each step pays
/// one more forward pass of those blocks (about a third more compute). It buys time only through what the memory allows
/// (a larger batch under <c>--memory-limit</c>); alone it is slower.
/// </summary>
/// <remarks>
/// Conflicts with <c>precision</c>: the recomputation runs during backward, outside the window in which precision computes
/// Linear layers in bfloat16, so the gradient would be that of a float32 forward pass, not the one that was taken.
/// </remarks>
public sealed class ActivationCheckpointingTechnique(int every) : ITechnique
{
    public const string TechniqueName = "activation_checkpointing";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.System,
        Folder = "ActivationCheckpointing",
        Summary = "Every every-th Transformer block keeps only its input in the training forward pass and recomputes its activations during backward: the same gradients with less activation memory, for one more forward pass of those blocks.",
        Paper = "Chen, Xu, Zhang and Guestrin, Training Deep Nets with Sublinear Memory Cost, 2016; Griewank and Walther, Algorithm 799: revolve, 2000",
        Options = [OptionSpec.Whole("every", 1, 1, 1024, "checkpoint blocks 1, 1 + every, 1 + 2 every, ... (1: every block)")],
        Requires = WorkloadFacts.TokenSequences,
        Conflicts = ["precision"],
        Order = 122,
        Create = o => new ActivationCheckpointingTechnique(o.Whole("every")),
        ProbeSummary = "every training forward pass of a checkpointed block is recomputed during its backward pass, evaluation is not, and the other blocks are never recomputed",
        Probe = t => new ActivationCheckpointingProbe(t),
    };

    private IReadOnlyList<TransformerBlock> _checkpointed = [];

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.System;

    public int Every { get; } = every;

    /// <summary>The checkpointed blocks (known from FitStart).</summary>
    public IReadOnlyList<TransformerBlock> Checkpointed => _checkpointed;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent is TrainingEvent.FitStart or TrainingEvent.FitEnd;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        IReadOnlyList<TransformerBlock> blocks = ModelLayers.TransformerBlocks(state.Model);
        if (trainingEvent == TrainingEvent.FitStart)
        {
            if (blocks.Count == 0)
            {
                throw new InvalidOperationException($"{TechniqueName} checkpoints Transformer blocks, but this model has none: use a transformer or encoder model");
            }

            _checkpointed = [.. blocks.Where((_, i) => i % Every == 0)];
        }

        foreach (TransformerBlock block in _checkpointed)
        {
            block.Checkpoint = trainingEvent == TrainingEvent.FitStart;
        }
    }
}

/// <summary>
/// Counts, per checkpointed block, the forward passes it computed inside the training forward pass and its recomputations:
/// after every backward pass the recomputations have caught up with the training forward passes (SAM's second pass adds
/// its own pair), evaluation adds none, and blocks that are not checkpointed are never recomputed.
/// </summary>
internal sealed class ActivationCheckpointingProbe(ITechnique technique) : TechniqueProbe<ActivationCheckpointingTechnique>(technique)
{
    private long[] _computedBefore = [];
    private long _trained;
    private long _recomputedAtEval;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        IReadOnlyList<TransformerBlock> all = ModelLayers.TransformerBlocks(state.Model);
        IReadOnlyList<TransformerBlock> blocks = Technique.Checkpointed;
        switch (trainingEvent, point)
        {
            case (TrainingEvent.BeforeForward, ObservationPoint.EventEnd):
                _computedBefore = [.. blocks.Select(b => b.Computed)];
                break;
            case (TrainingEvent.AfterForward, ObservationPoint.EventStart) when _computedBefore.Length == blocks.Count:
                _trained += blocks.Select((b, i) => b.Computed - _computedBefore[i]).Sum();
                break;
            case (TrainingEvent.AfterBackward, ObservationPoint.EventEnd):
                long recomputed = blocks.Sum(b => b.Recomputed);
                if (Expect(recomputed >= _trained, $"{_trained - recomputed} training forward pass(es) of checkpointed blocks were not recomputed in backward") &&
                    Expect(all.Except(blocks).All(b => b.Recomputed == 0), "a block that is not checkpointed was recomputed") &&
                    recomputed > 0)
                {
                    Seen++;
                }

                break;
            case (TrainingEvent.EvalStart, ObservationPoint.EventStart):
                _recomputedAtEval = blocks.Sum(b => b.Recomputed);
                break;
            case (TrainingEvent.EvalEnd, ObservationPoint.EventEnd):
                Expect(blocks.Sum(b => b.Recomputed) == _recomputedAtEval, "evaluation recomputed a block (it records no gradients)");
                break;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no backward pass recomputed a checkpointed block";
}
