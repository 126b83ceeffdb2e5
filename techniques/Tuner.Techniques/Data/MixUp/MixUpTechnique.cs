using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Data.MixUp;

/// <summary>
/// mixup: at AfterDataLoader the batch becomes lambda * x + (1 - lambda) * x[perm] (perm a seeded permutation of the
/// batch, lambda ~ Beta(alpha, alpha)); its loss wrapper makes each sample's loss lambda * inner(out, y) + (1 - lambda) *
/// inner(out, y[perm]) over whatever loss lies below it (label smoothing's, giving smoothed mixed targets).
/// </summary>
public sealed class MixUpTechnique(MixUpOptions options) : ITechnique, ILossWrapper
{
    public const string TechniqueName = "mixup";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Data,
        Folder = "MixUp",
        Summary = "Trains on convex mixes lambda*x + (1-lambda)*x[perm] of the batch with the matching mix of the two labels' losses, lambda ~ Beta(alpha, alpha).",
        Paper = "Zhang, Cisse, Dauphin and Lopez-Paz, mixup: Beyond Empirical Risk Minimization, ICLR 2018",
        Options =
        [
            OptionSpec.Number("alpha", 0.2, 1e-6, 100, "Beta(alpha, alpha) shape of the mixing weight"),
            OptionSpec.Number("p", 1.0, 0, 1, "probability that a batch is mixed"),
        ],
        Requires = WorkloadFacts.RealInputs,
        Conflicts = ["cutmix", "grad_accumulation"],
        Order = 415,
        Create = o => new MixUpTechnique(new MixUpOptions { Alpha = o.Number("alpha"), Probability = o.Number("p") }),
        ProbeSummary = "the forward pass sees lambda*x + (1-lambda)*x[perm] of the loaded batch, and mixup is in the loss chain",
        Probe = t => new MixUpProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Data;

    public MixUpOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The current batch's lambda (NaN when the batch is not mixed).</summary>
    public double Lambda { get; private set; } = double.NaN;

    /// <summary>The current batch's partner permutation, from AfterDataLoader to BatchEnd; null when the batch is not mixed. Lives in the batch's dispose scope.</summary>
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
            Mix(state);
        }
    }

    public SampleLoss WrapLoss(SampleLoss inner, TrainingState state) =>
        (outputs, targets) => Permutation is { } permutation ? MixUpMath.MixedLoss(inner, outputs, targets, permutation, Lambda) : inner(outputs, targets);

    private void Mix(TrainingState state)
    {
        Tensor inputs = state.Inputs ?? throw new InvalidOperationException("mixup: no inputs at AfterDataLoader");
        if (Options.Probability < 1 && state.Random.NextDouble() >= Options.Probability)
        {
            return;
        }

        Lambda = MixUpMath.SampleBeta(state.Random, Options.Alpha, Options.Alpha);
        Tensor order = randperm(inputs.shape[0], generator: state.Generator); // the batch's scope owns it
        Permutation = order.to(inputs.device);
        state.Inputs = MixUpMath.Mix(inputs, Permutation, Lambda);
    }
}
