namespace Tuner.Core.Workloads;

/// <summary>
/// What a workload (a suite's data and model) offers that some techniques need. A technique declares the facts it
/// requires; one that a suite lacks is "not applicable" there: refused before training with a one-line error, never
/// proposed by a search, listed as such by <c>tuner list techniques --suite S</c> and the effects table.
/// </summary>
[Flags]
public enum WorkloadFacts
{
    None = 0,

    /// <summary>Inputs are images [channels, height, width] (shifts, boxes and resizing make sense).</summary>
    Images = 1,

    /// <summary>A horizontally mirrored image keeps its label (clothes yes, digits no).</summary>
    MirrorableImages = 2,

    /// <summary>The model has convolutions (memory formats for convolutions make sense).</summary>
    Convolutions = 4,

    /// <summary>The model accepts smaller images than it was built for (a cnn ending in adaptive pooling).</summary>
    ResizableInputs = 8,

    /// <summary>The model has residual blocks x + f(x) (zero-init of branches, Fixup, dropping blocks).</summary>
    ResidualBlocks = 16,

    /// <summary>Inputs are real values (images, table rows), not token ids: mixing or perturbing them makes sense.</summary>
    RealInputs = 32,

    /// <summary>Inputs are token sequences read by a Transformer (model kinds transformer, encoder): shorter sequences fit, attention can be swapped.</summary>
    TokenSequences = 64,

    /// <summary>
    /// The model is one of Tuner's model kinds, built from a suite's <c>model</c> entry, which techniques may rewrite
    /// before it is built (model_scaling, attention). A workload from an assembly builds its own model and cannot claim it.
    /// </summary>
    BuiltInModel = 128,
}

public static class WorkloadFactsText
{
    /// <summary>How a missing fact is explained to the user.</summary>
    public static string Describe(WorkloadFacts fact) => fact switch
    {
        WorkloadFacts.Images => "image inputs [channels, height, width]",
        WorkloadFacts.MirrorableImages => "images whose mirror image keeps its label",
        WorkloadFacts.Convolutions => "a model with convolutions (model kind cnn, or a workload that declares them)",
        WorkloadFacts.ResizableInputs => "a model that accepts smaller images (model kind cnn, which ends in adaptive pooling)",
        WorkloadFacts.ResidualBlocks => "a model with residual blocks (model kind resmlp, or ResidualBlock modules in a workload's model)",
        WorkloadFacts.RealInputs => "real-valued inputs (images or table rows, not token ids)",
        WorkloadFacts.TokenSequences => "token sequences read by a Transformer (model kind transformer or encoder, or TransformerBlock modules in a workload's model)",
        WorkloadFacts.BuiltInModel => "a model of a built-in kind (a suite's \"model\" entry), which it rewrites before it is built; a workload's own model cannot be rewritten",
        _ => fact.ToString(),
    };

    /// <summary>The single facts of <paramref name="facts"/>, in declaration order.</summary>
    public static IEnumerable<WorkloadFacts> Each(WorkloadFacts facts) =>
        Enum.GetValues<WorkloadFacts>().Where(f => f != WorkloadFacts.None && facts.HasFlag(f));
}
