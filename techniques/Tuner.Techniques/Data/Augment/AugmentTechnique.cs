using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.Augment;

/// <summary>
/// Label-preserving augmentation at AfterDataLoader: each image is mirrored left to right with the flip probability
/// (only when the suite allows flips) and translated by up to <see cref="AugmentOptions.Shift"/> pixels along each axis,
/// padded with the model input of a zero pixel (black, as padding before normalisation gives). Images only: FitStart
/// fails with a clear message on other inputs.
/// </summary>
public sealed class AugmentTechnique(AugmentOptions options) : ITechnique
{
    public const string TechniqueName = "augment";

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public AugmentOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent is TrainingEvent.FitStart or TrainingEvent.AfterDataLoader;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent == TrainingEvent.FitStart)
        {
            ImageInputs.Require(Name, state);
            return;
        }

        Tensor images = state.Inputs ?? throw new InvalidOperationException("augment: no inputs at AfterDataLoader");
        long batch = images.shape[0];
        if (state.AllowsHorizontalFlip && Options.FlipProbability > 0)
        {
            Tensor flip = rand([batch], generator: state.Generator).lt(Options.FlipProbability).to(images.device);
            images = AugmentMath.FlipHorizontally(images, flip);
        }

        int shift = Options.Shift;
        if (shift > 0)
        {
            Tensor rowShifts = randint(-shift, shift + 1, [batch], dtype: ScalarType.Int64, generator: state.Generator).to(images.device);
            Tensor columnShifts = randint(-shift, shift + 1, [batch], dtype: ScalarType.Int64, generator: state.Generator).to(images.device);
            images = AugmentMath.Translate(images, rowShifts, columnShifts, shift, state.Train.Shift);
        }

        state.Inputs = images;
    }
}
