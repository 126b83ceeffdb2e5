using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization.LabelSmoothing;

/// <summary>Wraps the loss below it in the chain with smoothing (<see cref="LabelSmoothingMath.Smoothed"/>): the innermost wrapper, so mixup and cutmix mix smoothed targets.</summary>
public sealed class LabelSmoothingTechnique(double alpha) : ITechnique, ILossWrapper
{
    public const string TechniqueName = "label_smoothing";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Optimization,
        Folder = "LabelSmoothing",
        Summary = "Cross-entropy against (1 - alpha) target + alpha uniform (over mixed targets too, when mixup or cutmix is on).",
        Paper = "Szegedy et al., Rethinking the Inception Architecture, CVPR 2016",
        Options = [OptionSpec.Number("alpha", 0.1, 0, 0.999, "smoothing mass")],
        Order = 390,
        Create = o => new LabelSmoothingTechnique(o.Number("alpha")),
        ProbeSummary = "the gradient of the training loss with respect to the logits implies targets with at least alpha/K on every class",
        Probe = t => new LabelSmoothingProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Optimization;

    public double Alpha { get; } = alpha;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => false;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
    }

    public SampleLoss WrapLoss(SampleLoss inner, TrainingState state) => (logits, labels) => LabelSmoothingMath.Smoothed(inner, logits, labels, Alpha);
}
