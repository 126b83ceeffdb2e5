using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Training.Engine;
using Tuner.Training.Models;

namespace Tuner.Techniques.Systems.Attention;

/// <summary>
/// Chooses the attention implementation of a Transformer suite's model (<see cref="IModelTransform"/>, before the model
/// is built): libtorch's fused <c>scaled_dot_product_attention</c> (a FlashAttention-style kernel on CPU: no [T, T]
/// score matrix kept for backward) or softmax(QK^T/sqrt(d))V written out, which keeps the scores and their softmax. The
/// built-in suites use the fused kernel, so by default this measures what the fused kernel buys (Dao et al., 2022).
/// </summary>
public sealed class AttentionTechnique(bool fused) : ITechnique, IModelTransform
{
    public const string TechniqueName = "attention";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.System,
        Folder = "Attention",
        Summary = "Sets a Transformer's attention implementation: the fused kernel (fused=true) or softmax(QK^T/sqrt(d))V written out (default, the comparison that shows what the fused kernel buys).",
        Paper = "Dao, Fu, Ermon, Rudra and Re, FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness, NeurIPS 2022",
        Options = [OptionSpec.Flag("fused", false, "true: the fused scaled_dot_product_attention kernel; false: attention written out")],
        Requires = WorkloadFacts.TokenSequences | WorkloadFacts.BuiltInModel,
        Order = 141,
        Create = o => new AttentionTechnique(o.Flag("fused")),
        ProbeSummary = "every Transformer block of the trained model runs the chosen implementation, which differs from the suite's own, on every forward pass",
        Probe = t => new AttentionProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.System;

    public bool Fused { get; } = fused;

    /// <summary>The suite's own implementation (null before <see cref="Transform"/>).</summary>
    public string? SuiteAttention { get; private set; }

    public ModelSpec Transform(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        SuiteAttention = spec.Attention;
        return spec with { Attention = Fused ? "fused" : "explicit" };
    }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => false;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
    }
}

/// <summary>At every forward pass every Transformer block uses the chosen implementation and runs; the suite's own implementation was the other one.</summary>
internal sealed class AttentionProbe(ITechnique technique) : TechniqueProbe<AttentionTechnique>(technique)
{
    private long _calls;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent != TrainingEvent.AfterForward || point != ObservationPoint.EventStart)
        {
            return;
        }

        TransformerBlock[] blocks = [.. state.Model.modules().OfType<TransformerBlock>()];
        if (!Expect(blocks.Length > 0, "the model has no Transformer blocks") ||
            !Expect(Technique.SuiteAttention is not null, "the model was built without the technique's transform") ||
            !Expect(Technique.SuiteAttention != (Technique.Fused ? "fused" : "explicit"), $"the suite already uses {Technique.SuiteAttention} attention, so nothing changed"))
        {
            return;
        }

        Expect(blocks.All(b => b.ExplicitAttention == !Technique.Fused), $"a block does not run {(Technique.Fused ? "fused" : "explicit")} attention");
        long calls = blocks.Sum(b => b.Calls);
        if (Expect(calls >= _calls + blocks.Length, "a forward pass did not run every block"))
        {
            Seen++;
        }

        _calls = calls;
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no forward pass was seen";
}
