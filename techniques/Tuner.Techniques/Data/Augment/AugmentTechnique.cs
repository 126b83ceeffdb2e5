using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.Augment;

/// <summary>
/// Label-preserving augmentation at AfterDataLoader: each image is mirrored left to right with the flip probability
/// (only when the suite allows flips) and translated by up to <see cref="AugmentOptions.Shift"/> pixels along each axis,
/// padded with the model input of a zero pixel (black, as padding before normalisation gives). Images only.
/// </summary>
public sealed class AugmentTechnique(AugmentOptions options) : ITechnique
{
    public const string TechniqueName = "augment";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Data,
        Folder = "Augment",
        Summary = "Label-preserving augmentation: random per-image shifts with black padding, and horizontal flips where the suite allows them (images only).",
        Paper = "Krizhevsky, Sutskever and Hinton, ImageNet Classification with Deep Convolutional Neural Networks, NeurIPS 2012",
        Options =
        [
            OptionSpec.Whole("shift", 2, 0, 16, "largest shift in pixels per axis"),
            OptionSpec.Number("flip", 0.5, 0, 1, "probability of a horizontal flip where the suite allows flips"),
        ],
        Requires = WorkloadFacts.Images,
        Order = 405,
        Create = o => new AugmentTechnique(new AugmentOptions { Shift = o.Whole("shift"), FlipProbability = o.Number("flip") }),
        ProbeSummary = "every image it hands on is its input shifted by at most `shift` pixels (mirrored only where the suite allows), and some images moved",
        Probe = t => new AugmentProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["shift"] = "1" }, // 2 of 8 pixels moves digits too far for a 200-step run
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public AugmentOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent == TrainingEvent.AfterDataLoader;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Tensor images = state.Inputs ?? throw new InvalidOperationException("augment: no inputs at AfterDataLoader");
        if (images.dim() != 4)
        {
            throw new InvalidOperationException($"augment needs image batches [B, C, H, W]; got [{string.Join(", ", images.shape)}]");
        }

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
