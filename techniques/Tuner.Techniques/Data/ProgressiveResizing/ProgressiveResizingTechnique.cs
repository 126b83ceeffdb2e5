using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Data.ProgressiveResizing;

/// <summary>
/// Progressive resizing: at AfterDataLoader the images are shrunk (area interpolation) to a side that grows linearly with
/// the elapsed budget fraction from <see cref="ProgressiveResizingOptions.InitialScale"/> of full size to full size at
/// <see cref="ProgressiveResizingOptions.FullAt"/>, rounded to a multiple of 4. Evaluation stays at full size. Needs
/// images and a model that accepts smaller ones (the cnn, which ends in adaptive pooling).
/// </summary>
public sealed class ProgressiveResizingTechnique(ProgressiveResizingOptions options) : ITechnique
{
    public const string TechniqueName = "progressive_resizing";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Data,
        Folder = "ProgressiveResizing",
        Summary = "Trains on downscaled images whose side grows linearly with the budget to full size (cnn only; evaluation at full size).",
        Paper = "Howard, fast.ai DAWNBench 2018; Touvron, Vedaldi, Douze and Jegou, Fixing the train-test resolution discrepancy, NeurIPS 2019",
        Options =
        [
            OptionSpec.Number("initial_scale", 0.5, 0.1, 1, "image scale at the start"),
            OptionSpec.Number("full_at", 0.8, 1e-6, 1, "budget fraction from which images are full size"),
        ],
        Requires = WorkloadFacts.Images | WorkloadFacts.ResizableInputs,
        ActsOverHorizon = true,
        Order = 400,
        Create = o => new ProgressiveResizingTechnique(new ProgressiveResizingOptions { InitialScale = o.Number("initial_scale"), FullAt = o.Number("full_at") }),
        ProbeSummary = "early in the budget the forward pass sees images of the scheduled smaller size, evaluation sees full size",
        Probe = t => new ProgressiveResizingProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["full_at"] = "0.5" },
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public ProgressiveResizingOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The scheduled (height, width) for full-size images of <paramref name="height"/> x <paramref name="width"/> at budget fraction <paramref name="fraction"/>.</summary>
    public (long Height, long Width) ScheduledSize(long height, long width, double fraction)
    {
        double scale = ProgressiveResizingMath.Scale(fraction, Options.InitialScale, Options.FullAt);
        return (ProgressiveResizingMath.Side(height, scale), ProgressiveResizingMath.Side(width, scale));
    }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent == TrainingEvent.AfterDataLoader && state?.Inputs is { } inputs && inputs.dim() == 4 && Shrinks(inputs.shape, state.ScheduleFraction);

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        long[] shape = state.Inputs!.shape;
        (long height, long width) = ScheduledSize(shape[2], shape[3], state.ScheduleFraction);
        state.Inputs = ProgressiveResizingMath.Resize(state.Inputs, height, width);
    }

    private bool Shrinks(long[] shape, double fraction)
    {
        (long height, long width) = ScheduledSize(shape[2], shape[3], fraction);
        return height < shape[2] || width < shape[3];
    }
}
