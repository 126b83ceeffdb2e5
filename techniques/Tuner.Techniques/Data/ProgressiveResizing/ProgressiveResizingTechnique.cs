using TorchSharp.Modules;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Data.ProgressiveResizing;

/// <summary>
/// Progressive resizing: at AfterDataLoader the images are shrunk (area interpolation) to a side that grows linearly with
/// the elapsed budget fraction from <see cref="ProgressiveResizingOptions.InitialScale"/> of full size to full size at
/// <see cref="ProgressiveResizingOptions.FullAt"/>, rounded to a multiple of 4. Evaluation stays at full size. Needs
/// images and a model that accepts smaller ones (the cnn, which ends in adaptive pooling): FitStart fails clearly otherwise.
/// </summary>
public sealed class ProgressiveResizingTechnique(ProgressiveResizingOptions options) : ITechnique
{
    public const string TechniqueName = "progressive_resizing";

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public ProgressiveResizingOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The scheduled (height, width) for full-size images of <paramref name="height"/> x <paramref name="width"/> at budget fraction <paramref name="fraction"/>.</summary>
    public (long Height, long Width) ScheduledSize(long height, long width, double fraction)
    {
        double scale = ProgressiveResizingMath.Scale(fraction, Options.InitialScale, Options.FullAt);
        return (ProgressiveResizingMath.Side(height, scale), ProgressiveResizingMath.Side(width, scale));
    }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.FitStart => true,
        TrainingEvent.AfterDataLoader => state?.Inputs is { } inputs && inputs.dim() == 4 && Shrinks(inputs.shape, state.BudgetFraction),
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent == TrainingEvent.FitStart)
        {
            ImageInputs.Require(Name, state);
            if (!state.Model.modules().Any(m => m is AdaptiveAvgPool2d))
            {
                throw new InvalidOperationException(
                    $"technique {Name} needs a model that accepts smaller images (a cnn, which ends in adaptive pooling); this suite's model has no adaptive pooling: use it with model kind cnn");
            }

            return;
        }

        long[] shape = state.Inputs!.shape;
        (long height, long width) = ScheduledSize(shape[2], shape[3], state.BudgetFraction);
        state.Inputs = ProgressiveResizingMath.Resize(state.Inputs, height, width);
    }

    private bool Shrinks(long[] shape, double fraction)
    {
        (long height, long width) = ScheduledSize(shape[2], shape[3], fraction);
        return height < shape[2] || width < shape[3];
    }
}
