using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Techniques.Data.MixUp;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.CutMix;

/// <summary>
/// CutMix: at AfterDataLoader a random box of each image is replaced by the same box of a partner image (a seeded
/// permutation of the batch); lambda = 1 - box area / image area; its loss wrapper mixes the loss below it like mixup's.
/// </summary>
public sealed class CutMixTechnique(CutMixOptions options) : ITechnique, ILossWrapper
{
    public const string TechniqueName = "cutmix";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Data,
        Folder = "CutMix",
        Summary = "Pastes a random box of a partner image into each image and mixes the two labels' losses by the box's area (images only).",
        Paper = "Yun, Han, Oh, Chun, Choe and Yoo, CutMix: Regularization Strategy to Train Strong Classifiers with Localizable Features, ICCV 2019",
        Options =
        [
            OptionSpec.Number("alpha", 1.0, 1e-6, 100, "Beta(alpha, alpha) shape of the box's mixing weight"),
            OptionSpec.Number("p", 1.0, 0, 1, "probability that a batch is mixed"),
        ],
        Requires = WorkloadFacts.Images,
        Conflicts = [MixUpTechnique.TechniqueName, "grad_accumulation"],
        Order = 420,
        Create = o => new CutMixTechnique(new CutMixOptions { Alpha = o.Number("alpha"), Probability = o.Number("p") }),
        ProbeSummary = "each image equals its partner inside the box and itself outside it, lambda = 1 - box area, and cutmix is in the loss chain",
        Probe = t => new CutMixProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public CutMixOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The current batch's lambda (NaN when the batch is not mixed).</summary>
    public double Lambda { get; private set; } = double.NaN;

    /// <summary>The current batch's pasted box (meaningful while <see cref="Permutation"/> is set).</summary>
    public CutMixBox Box { get; private set; }

    /// <summary>The current batch's partner permutation, from AfterDataLoader to BatchEnd; null when not mixed. Lives in the batch's dispose scope.</summary>
    public Tensor? Permutation { get; private set; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.AfterDataLoader => true,
        TrainingEvent.BatchEnd => Permutation is not null,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Permutation = null;
        Lambda = double.NaN;
        if (trainingEvent == TrainingEvent.AfterDataLoader)
        {
            Cut(state);
        }
    }

    public SampleLoss WrapLoss(SampleLoss inner, TrainingState state) =>
        (outputs, targets) => Permutation is { } permutation ? MixUpMath.MixedLoss(inner, outputs, targets, permutation, Lambda) : inner(outputs, targets);

    private void Cut(TrainingState state)
    {
        Tensor inputs = state.Inputs ?? throw new InvalidOperationException("cutmix: no inputs at AfterDataLoader");
        if (inputs.dim() != 4)
        {
            throw new InvalidOperationException($"cutmix needs image batches [B, C, H, W]; got [{string.Join(", ", inputs.shape)}]");
        }

        if (Options.Probability < 1 && state.Random.NextDouble() >= Options.Probability)
        {
            return;
        }

        int height = (int)inputs.shape[2];
        int width = (int)inputs.shape[3];
        double drawn = MixUpMath.SampleBeta(state.Random, Options.Alpha, Options.Alpha);
        Box = CutMixMath.Box(height, width, drawn, state.Random.Next(height), state.Random.Next(width));
        Lambda = CutMixMath.Lambda(Box, height, width);
        Tensor order = randperm(inputs.shape[0], generator: state.Generator); // the batch's scope owns it
        Permutation = order.to(inputs.device);
        state.Inputs = CutMixMath.Paste(inputs, Permutation, Box);
    }
}
