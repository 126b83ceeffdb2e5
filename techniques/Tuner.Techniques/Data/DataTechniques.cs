using Tuner.Techniques.Data.Augment;
using Tuner.Techniques.Data.Curriculum;
using Tuner.Techniques.Data.CutMix;
using Tuner.Techniques.Data.DataPruning;
using Tuner.Techniques.Data.ImportanceSampling;
using Tuner.Techniques.Data.MixUp;
using Tuner.Techniques.Data.ProgressiveResizing;
using Tuner.Techniques.Data.SelectiveBackprop;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Data;

/// <summary>Data-centric techniques (survey "On Efficient Training of Large-Scale Deep Learning Models", arXiv 2304.03589).</summary>
/// <remarks>
/// Conflicts: mixup, cutmix and selective_backprop each replace the loss with one over a permutation or a subset of the
/// batch, which do not nest; importance_sampling, data_pruning and curriculum each own the epoch's row order.
/// </remarks>
public static class DataTechniques
{
    public static IReadOnlyList<TechniqueDescriptor> All { get; } =
    [
        new(
            MixUpTechnique.TechniqueName,
            TechniqueCategory.Data,
            "Trains on convex mixes lambda*x + (1-lambda)*x[perm] of the batch with the matching mix of the two labels' losses, lambda ~ Beta(alpha, alpha).",
            "Zhang, Cisse, Dauphin and Lopez-Paz, mixup: Beyond Empirical Risk Minimization, ICLR 2018",
            [CutMixTechnique.TechniqueName, SelectiveBackpropTechnique.TechniqueName],
            Options(
                ("alpha", "Beta(alpha, alpha) shape of the mixing weight, (0, 100], default 0.2"),
                ("p", "probability that a batch is mixed, [0, 1], default 1")),
            o => new MixUpTechnique(new MixUpOptions { Alpha = o.Number("alpha", 0.2, 1e-6, 100), Probability = o.Number("p", 1.0, 0, 1) }))
        {
            Folder = "MixUp",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            CutMixTechnique.TechniqueName,
            TechniqueCategory.Data,
            "Pastes a random box of a partner image into each image and mixes the two labels' losses by the box's area (images only).",
            "Yun, Han, Oh, Chun, Choe and Yoo, CutMix: Regularization Strategy to Train Strong Classifiers with Localizable Features, ICCV 2019",
            [MixUpTechnique.TechniqueName, SelectiveBackpropTechnique.TechniqueName],
            Options(
                ("alpha", "Beta(alpha, alpha) shape of the box's mixing weight, (0, 100], default 1"),
                ("p", "probability that a batch is mixed, [0, 1], default 1")),
            o => new CutMixTechnique(new CutMixOptions { Alpha = o.Number("alpha", 1.0, 1e-6, 100), Probability = o.Number("p", 1.0, 0, 1) }))
        {
            Folder = "CutMix",
            Contract = TechniqueContract.On("fashion-cnn"),
        },
        new(
            AugmentTechnique.TechniqueName,
            TechniqueCategory.Data,
            "Label-preserving augmentation: random per-image shifts with black padding, and horizontal flips where the suite allows them (images only).",
            "Krizhevsky, Sutskever and Hinton, ImageNet Classification with Deep Convolutional Neural Networks, NeurIPS 2012",
            [],
            Options(
                ("shift", "largest shift in pixels per axis, 0..16, default 2"),
                ("flip", "probability of a horizontal flip where the suite allows flips, [0, 1], default 0.5")),
            o => new AugmentTechnique(new AugmentOptions { Shift = o.WholeNumber("shift", 2, 0, 16), FlipProbability = o.Number("flip", 0.5, 0, 1) }))
        {
            Folder = "Augment",
            Contract = TechniqueContract.On("fashion-cnn"),
        },
        new(
            SelectiveBackpropTechnique.TechniqueName,
            TechniqueCategory.Data,
            "Back-propagates only the highest-loss fraction of each batch (the full batch is still forwarded, so on CPU it saves no time per step).",
            "Jiang et al., Accelerating Deep Learning by Focusing on the Biggest Losers, arXiv 1910.00762, 2019",
            [MixUpTechnique.TechniqueName, CutMixTechnique.TechniqueName],
            Options(("fraction", "fraction of each batch back-propagated, k = max(1, ceil(fraction * B)), (0, 1], default 0.5")),
            o => new SelectiveBackpropTechnique(o.Number("fraction", 0.5, 1e-6, 1)))
        {
            Folder = "SelectiveBackprop",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            ImportanceSamplingTechnique.TechniqueName,
            TechniqueCategory.Data,
            "Draws each epoch's rows with replacement in proportion to their latest loss plus smoothing, after warm-up epochs.",
            "Katharopoulos and Fleuret, Not All Samples Are Created Equal: Deep Learning with Importance Sampling, ICML 2018",
            [DataPruningTechnique.TechniqueName, CurriculumTechnique.TechniqueName],
            Options(
                ("warmup_epochs", "epochs in random order before sampling by loss, 0..1000, default 1"),
                ("smoothing", "added to every loss estimate, [1e-6, 1000], default 0.1")),
            o => new ImportanceSamplingTechnique(new ImportanceSamplingOptions
            {
                WarmupEpochs = o.WholeNumber("warmup_epochs", 1, 0, 1000),
                Smoothing = o.Number("smoothing", 0.1, 1e-6, 1000),
            }))
        {
            Folder = "ImportanceSampling",
            Contract = TechniqueContract.On("digits-mlp", ("warmup_epochs", "0")),
        },
        new(
            DataPruningTechnique.TechniqueName,
            TechniqueCategory.Data,
            "Scores every row by EL2N (||softmax - onehot||) at the start of an early epoch and trains from then on only on the hardest kept fraction.",
            "Paul, Ganguli and Dziugaite, Deep Learning on a Data Diet: Finding Important Examples Early in Training, NeurIPS 2021",
            [ImportanceSamplingTechnique.TechniqueName, CurriculumTechnique.TechniqueName],
            Options(
                ("keep", "fraction of rows kept, (0, 1], default 0.7"),
                ("score_epoch", "epoch at whose start rows are scored (0: the initial model), 0..1000, default 1")),
            o => new DataPruningTechnique(new DataPruningOptions
            {
                Keep = o.Number("keep", 0.7, 1e-6, 1),
                ScoreEpoch = o.WholeNumber("score_epoch", 1, 0, 1000),
            }))
        {
            Folder = "DataPruning",
            Contract = TechniqueContract.On("digits-mlp", ("score_epoch", "0")),
        },
        new(
            ProgressiveResizingTechnique.TechniqueName,
            TechniqueCategory.Data,
            "Trains on downscaled images whose side grows linearly with the budget to full size (cnn only; evaluation at full size).",
            "Howard, fast.ai DAWNBench 2018; Touvron, Vedaldi, Douze and Jegou, Fixing the train-test resolution discrepancy, NeurIPS 2019",
            [],
            Options(
                ("initial_scale", "image scale at the start, [0.1, 1], default 0.5"),
                ("full_at", "budget fraction from which images are full size, (0, 1], default 0.8")),
            o => new ProgressiveResizingTechnique(new ProgressiveResizingOptions
            {
                InitialScale = o.Number("initial_scale", 0.5, 0.1, 1),
                FullAt = o.Number("full_at", 0.8, 1e-6, 1),
            }))
        {
            Folder = "ProgressiveResizing",
            Contract = TechniqueContract.On("fashion-cnn"),
        },
        new(
            CurriculumTechnique.TechniqueName,
            TechniqueCategory.Data,
            "Orders the first epochs from easy to hard by each row's loss under the current model, optionally paced from an easiest fraction.",
            "Bengio, Louradour, Collobert and Weston, Curriculum Learning, ICML 2009",
            [ImportanceSamplingTechnique.TechniqueName, DataPruningTechnique.TechniqueName],
            Options(
                ("epochs", "epochs ordered easy to hard, 1..1000, default 1"),
                ("start_fraction", "pacing: easiest fraction used in the first curriculum epoch, growing to 1, (0, 1], default 1")),
            o => new CurriculumTechnique(new CurriculumOptions
            {
                Epochs = o.WholeNumber("epochs", 1, 1, 1000),
                StartFraction = o.Number("start_fraction", 1.0, 1e-6, 1),
            }))
        {
            Folder = "Curriculum",
            Contract = TechniqueContract.On("digits-mlp"),
        },
    ];

    private static SortedDictionary<string, string> Options(params (string Key, string Help)[] options) =>
        new(options.ToDictionary(o => o.Key, o => o.Help, StringComparer.Ordinal), StringComparer.Ordinal);
}
