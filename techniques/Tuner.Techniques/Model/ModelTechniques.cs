using Tuner.Techniques.Model.ChannelsLast;
using Tuner.Techniques.Model.Init;
using Tuner.Techniques.Model.LayerFreezing;
using Tuner.Techniques.Model.MagnitudePruning;
using Tuner.Techniques.Model.ModelScaling;
using Tuner.Techniques.Model.Precision;
using Tuner.Techniques.Model.StochasticDepth;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Model;

/// <summary>Model-centric techniques (survey "On Efficient Training of Large-Scale Deep Learning Models", arXiv 2304.03589).</summary>
/// <remarks>
/// Conflicts: the three initialization schemes (init_zero_last, init_orthogonal, init_fixup) each overwrite the weights the
/// others set, so at most one is used. The initialization schemes are three techniques rather than one with a text option
/// because technique options are numbers.
/// </remarks>
public static class ModelTechniques
{
    private static readonly string[] InitNames = [InitTechnique.ZeroLastName, InitTechnique.OrthogonalName, InitTechnique.FixupName];

    public static IReadOnlyList<TechniqueDescriptor> All { get; } =
    [
        new(
            PrecisionTechnique.TechniqueName,
            TechniqueCategory.Model,
            "Mixed precision: Linear layers compute the training forward pass on bfloat16 casts of their float32 master weights (autocast-style), " +
            "gradients and the optimizer stay float32; convolutions stay float32 (libtorch's CPU bf16 convolution is wrong for many shapes). " +
            "Faster only on CPUs with native bf16 (AVX512-BF16, AMX): measured ~1.7x steps/s on fashion-mlp, ~1.1x on fashion-cnn.",
            "Micikevicius et al., Mixed Precision Training, ICLR 2018; Kalamkar et al., A Study of BFLOAT16 for Deep Learning Training, 2019",
            [],
            Options(),
            _ => new PrecisionTechnique())
        {
            Folder = "Precision",
            Contract = TechniqueContract.On("fashion-cnn"),
        },
        new(
            ChannelsLastTechnique.TechniqueName,
            TechniqueCategory.Model,
            "Convolutions in the channels-last (NHWC) memory format: Conv2d weights re-laid out at FitStart, image inputs at each batch " +
            "(same results; measured ~1.6x steps/s on fashion-cnn on one CPU thread).",
            "PyTorch channels-last memory format (oneDNN/cuDNN NHWC kernels); NVIDIA, Deep Learning Performance Guide, 2020",
            [],
            Options(),
            _ => new ChannelsLastTechnique())
        {
            Folder = "ChannelsLast",
            Contract = TechniqueContract.On("fashion-cnn"),
        },
        new(
            LayerFreezingTechnique.TechniqueName,
            TechniqueCategory.Model,
            "Progressively freezes the layers from the first (FreezeOut's schedule): layer i of L stops training at t0 + (1 - t0) i / L of the budget; the head trains to the end.",
            "Brock, Lim, Ritchie and Weston, FreezeOut: Accelerate Training by Progressively Freezing Layers, 2017",
            [],
            Options(
                ("t0", "budget fraction where the first layer freezes, [0, 1], default 0.5"),
                ("cubic", "1 cubes the schedule (FreezeOut's cubic variant: early layers freeze much earlier), 0 or 1, default 0")),
            o => new LayerFreezingTechnique(new LayerFreezingOptions { T0 = o.Number("t0", 0.5, 0, 1), Cubic = o.WholeNumber("cubic", 0, 0, 1) == 1 }))
        {
            Folder = "LayerFreezing",
            Contract = TechniqueContract.On("digits-mlp", ("t0", "0")),
        },
        new(
            InitTechnique.ZeroLastName,
            TechniqueCategory.Model,
            "Zero-initializes the last layer of every residual branch, so each residual block starts as the identity (needs residual blocks).",
            "Goyal et al., Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour, 2017",
            Except(InitTechnique.ZeroLastName),
            Options(),
            _ => new InitTechnique(InitScheme.ZeroLast))
        {
            Folder = "Init",
            Contract = TechniqueContract.On("digits-resmlp"),
        },
        new(
            InitTechnique.OrthogonalName,
            TechniqueCategory.Model,
            "Initializes every Linear and Conv2d weight as a gain-scaled orthogonal matrix (biases unchanged).",
            "Saxe, McClelland and Ganguli, Exact solutions to the nonlinear dynamics of learning in deep linear neural networks, ICLR 2014",
            Except(InitTechnique.OrthogonalName),
            Options(("gain", "scale of the orthogonal matrices, (0, 10], default 1")),
            o => new InitTechnique(InitScheme.Orthogonal, o.Number("gain", 1.0, 1e-6, 10)))
        {
            Folder = "Init",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            InitTechnique.FixupName,
            TechniqueCategory.Model,
            "Fixup: scales the first layer of each of the L residual branches by L^(-1/2) and zero-initializes the last layer of each branch and the classifier (needs residual blocks).",
            "Zhang, Dauphin and Ma, Fixup Initialization: Residual Learning Without Normalization, ICLR 2019",
            Except(InitTechnique.FixupName),
            Options(),
            _ => new InitTechnique(InitScheme.Fixup))
        {
            Folder = "Init",
            Contract = TechniqueContract.On("digits-resmlp"),
        },
        new(
            MagnitudePruningTechnique.TechniqueName,
            TechniqueCategory.Model,
            "Gradual magnitude pruning: the smallest-magnitude Linear/Conv2d weights are masked to zero, sparsity rising on a cubic schedule " +
            "from start to end of the budget (dense kernels: no speed-up on CPU by itself).",
            "Zhu and Gupta, To prune, or not to prune: exploring the efficacy of pruning for model compression, 2017",
            [],
            Options(
                ("sparsity", "final fraction of each weight tensor pruned, [0, 0.99], default 0.5"),
                ("start", "budget fraction where pruning starts, [0, 1], default 0.1"),
                ("end", "budget fraction where the final sparsity is reached, [start, 1], default 0.7"),
                ("every", "optimizer steps between pruning events, 1..1000000, default 50")),
            o => new MagnitudePruningTechnique(new MagnitudePruningOptions
            {
                Sparsity = o.Number("sparsity", 0.5, 0, 0.99),
                Start = o.Number("start", 0.1, 0, 1),
                End = o.Number("end", 0.7, 0, 1),
                Every = o.WholeNumber("every", 50, 1, 1_000_000),
            }))
        {
            Folder = "MagnitudePruning",
            Contract = TechniqueContract.On("digits-mlp", ("start", "0"), ("every", "1")),
        },
        new(
            StochasticDepthTechnique.TechniqueName,
            TechniqueCategory.Model,
            "Drops each residual block during training with probability 1 - p_l (p_l decaying linearly with depth to p_L) and scales branches by p_l at evaluation (needs residual blocks).",
            "Huang, Sun, Liu, Sedra and Weinberger, Deep Networks with Stochastic Depth, ECCV 2016",
            [],
            Options(("p_last", "survival probability of the last block, [0.05, 1], default 0.5")),
            o => new StochasticDepthTechnique(o.Number("p_last", 0.5, 0.05, 1)))
        {
            Folder = "StochasticDepth",
            Contract = TechniqueContract.On("digits-resmlp"),
        },
        new(
            ModelScalingTechnique.TechniqueName,
            TechniqueCategory.Model,
            "Builds the suite's model with its hidden widths and channels times width and its hidden layers or residual blocks times depth (a narrower model trains faster).",
            "Tan and Le, EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks, ICML 2019",
            [],
            Options(
                ("width", "multiplier of hidden widths and channels (at least 1 unit), [0.05, 8], default 0.5"),
                ("depth", "multiplier of hidden layers / residual blocks (at least 1), [0.1, 8], default 1")),
            o => new ModelScalingTechnique(new ModelScalingOptions { Width = o.Number("width", 0.5, 0.05, 8), Depth = o.Number("depth", 1.0, 0.1, 8) }))
        {
            Folder = "ModelScaling",
            Contract = TechniqueContract.On("digits-mlp"),
        },
    ];

    private static string[] Except(string name) => [.. InitNames.Where(n => n != name)];

    private static SortedDictionary<string, string> Options(params (string Key, string Help)[] options) =>
        new(options.ToDictionary(o => o.Key, o => o.Help, StringComparer.Ordinal), StringComparer.Ordinal);
}
