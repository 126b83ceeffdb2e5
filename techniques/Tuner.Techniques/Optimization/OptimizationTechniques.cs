using Tuner.Techniques.Budget.BudgetLinearDecay;
using Tuner.Techniques.Budget.Rex;
using Tuner.Techniques.Optimization.Adam;
using Tuner.Techniques.Optimization.AdamW;
using Tuner.Techniques.Optimization.Cosine;
using Tuner.Techniques.Optimization.Ema;
using Tuner.Techniques.Optimization.GradientClipping;
using Tuner.Techniques.Optimization.LabelSmoothing;
using Tuner.Techniques.Optimization.Lamb;
using Tuner.Techniques.Optimization.LargeBatch;
using Tuner.Techniques.Optimization.Lars;
using Tuner.Techniques.Optimization.LinearWarmup;
using Tuner.Techniques.Optimization.Lookahead;
using Tuner.Techniques.Optimization.Nesterov;
using Tuner.Techniques.Optimization.OneCycle;
using Tuner.Techniques.Optimization.Sam;
using Tuner.Techniques.Optimization.StepSchedule;
using Tuner.Techniques.Optimization.Swa;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Optimization;

/// <summary>Optimization-centric techniques (survey section 5).</summary>
public static class OptimizationTechniques
{
    // Declared before All: static initialisers run in textual order.
    /// <summary>The techniques that replace the optimizer's update rule: at most one of them.</summary>
    private static readonly string[] UpdateRules =
    [
        NesterovTechnique.TechniqueName, AdamTechnique.TechniqueName, AdamWTechnique.TechniqueName, LambTechnique.TechniqueName, LarsTechnique.TechniqueName,
    ];

    /// <summary>The learning-rate schedules over the budget: at most one of them (budget_linear_decay and rex are in the Budget family).</summary>
    private static readonly string[] Schedules =
    [
        CosineTechnique.TechniqueName, OneCycleTechnique.TechniqueName, StepScheduleTechnique.TechniqueName, BudgetLinearDecayTechnique.TechniqueName, RexTechnique.TechniqueName,
    ];

    public static IReadOnlyList<TechniqueDescriptor> All { get; } =
    [
        new(
            LabelSmoothingTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Cross-entropy against (1 - alpha) one-hot + alpha uniform targets.",
            "Szegedy et al., Rethinking the Inception Architecture, CVPR 2016",
            [],
            Options(("alpha", "smoothing mass, [0, 1), default 0.1")),
            o => new LabelSmoothingTechnique(o.Number("alpha", 0.1, 0, 0.999)))
        {
            Folder = "LabelSmoothing",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            LinearWarmupTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Learning rate ramps linearly from lr/steps to lr over the first steps.",
            "Goyal et al., Accurate, Large Minibatch SGD, 2017",
            [],
            Options(("steps", "warmup steps, 1..1000000, default 100")),
            o => new LinearWarmupTechnique(o.WholeNumber("steps", 100, 1, 1_000_000)))
        {
            Folder = "LinearWarmup",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            GradientClippingTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Clips the global L2 norm of the gradients after backward.",
            "Pascanu et al., On the difficulty of training RNNs, ICML 2013",
            [],
            Options(("max_norm", "largest gradient norm, (0, 1e6], default 1.0")),
            o => new GradientClippingTechnique(o.Number("max_norm", 1.0, 1e-6, 1e6)))
        {
            Folder = "GradientClipping",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            NesterovTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Replaces the optimizer's update with SGD + Nesterov momentum.",
            "Sutskever, Martens, Dahl and Hinton, On the importance of initialization and momentum in deep learning, ICML 2013",
            Except(NesterovTechnique.TechniqueName, UpdateRules),
            Options(
                ("momentum", "momentum coefficient, [0, 0.999], default 0.9"),
                ("weight_decay", "L2 weight decay added to the gradient, [0, 1], default 0")),
            o => new NesterovTechnique(new NesterovOptions
            {
                Momentum = o.Number("momentum", 0.9, 0, 0.999),
                WeightDecay = o.Number("weight_decay", 0, 0, 1),
            }))
        {
            Folder = "Nesterov",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            AdamTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Replaces the optimizer's update with Adam (bias-corrected moments; L2 weight decay in the gradient).",
            "Kingma and Ba, Adam: A Method for Stochastic Optimization, ICLR 2015",
            Except(AdamTechnique.TechniqueName, UpdateRules),
            AdamOptionHelp(1e-8, 0, "L2 weight decay added to the gradient"),
            o => new AdamTechnique(ReadAdam(o, 1e-8, 0)))
        {
            Folder = "Adam",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            AdamWTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Replaces the optimizer's update with AdamW (Adam with weight decay decoupled from the gradient).",
            "Loshchilov and Hutter, Decoupled Weight Decay Regularization, ICLR 2019",
            Except(AdamWTechnique.TechniqueName, UpdateRules),
            AdamOptionHelp(1e-8, AdamWTechnique.DefaultWeightDecay, "decoupled weight decay (w *= 1 - lr * wd)"),
            o => new AdamWTechnique(ReadAdam(o, 1e-8, AdamWTechnique.DefaultWeightDecay)))
        {
            Folder = "AdamW",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            LambTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Replaces the optimizer's update with LAMB: Adam's update plus decoupled decay, scaled per layer by the trust ratio ||w|| / ||update||.",
            "You et al., Large Batch Optimization for Deep Learning: Training BERT in 76 minutes, ICLR 2020",
            Except(LambTechnique.TechniqueName, UpdateRules),
            AdamOptionHelp(LambTechnique.DefaultEpsilon, LambTechnique.DefaultWeightDecay, "decoupled weight decay added to the update before the trust ratio"),
            o => new LambTechnique(ReadAdam(o, LambTechnique.DefaultEpsilon, LambTechnique.DefaultWeightDecay)))
        {
            Folder = "Lamb",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            LarsTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Replaces the optimizer's update with LARS: SGD momentum with a per-layer rate eta * ||w|| / (||g|| + wd * ||w||) (wants a much larger learning rate than SGD).",
            "You, Gitman and Ginsburg, Large Batch Training of Convolutional Networks, arXiv 1708.03888, 2017",
            Except(LarsTechnique.TechniqueName, UpdateRules),
            Options(
                ("momentum", "momentum coefficient, [0, 0.999], default 0.9"),
                ("trust", "trust coefficient eta, [1e-6, 1], default 0.001"),
                ("weight_decay", "weight decay beta, [0, 1], default 0.0005")),
            o => new LarsTechnique(new LarsOptions
            {
                Momentum = o.Number("momentum", 0.9, 0, 0.999),
                Trust = o.Number("trust", 0.001, 1e-6, 1),
                WeightDecay = o.Number("weight_decay", 0.0005, 0, 1),
            }))
        {
            Folder = "Lars",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            CosineTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Learning rate follows half a cosine from the base rate down to min_factor * base over the budget (in the budget's own unit).",
            "Loshchilov and Hutter, SGDR: Stochastic Gradient Descent with Warm Restarts, ICLR 2017",
            Except(CosineTechnique.TechniqueName, Schedules),
            Options(("min_factor", "final rate as a fraction of the base rate, [0, 1), default 0")),
            o => new CosineTechnique(o.Number("min_factor", 0, 0, 0.999)))
        {
            Folder = "Cosine",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            OneCycleTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Learning rate rises linearly to max_lr_factor * base at pct_start of the budget, then anneals (cosine or linear) to min_factor * base.",
            "Smith and Topin, Super-Convergence: Very Fast Training of Neural Networks Using Large Learning Rates, 2019",
            Except(OneCycleTechnique.TechniqueName, Schedules),
            Options(
                ("max_lr_factor", "peak rate as a multiple of the base rate, [1, 1000], default 10"),
                ("pct_start", "budget fraction of the peak, [0.01, 0.99], default 0.3"),
                ("min_factor", "final rate as a multiple of the base rate, [0, 1], default 0"),
                ("linear", "1 anneals linearly after the peak, 0 along a cosine, default 0")),
            o => new OneCycleTechnique(new OneCycleOptions
            {
                MaxFactor = o.Number("max_lr_factor", 10, 1, 1000),
                PctStart = o.Number("pct_start", 0.3, 0.01, 0.99),
                MinFactor = o.Number("min_factor", 0, 0, 1),
                LinearAnneal = o.WholeNumber("linear", 0, 0, 1) == 1,
            }))
        {
            Folder = "OneCycle",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            StepScheduleTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Learning rate is multiplied by gamma at two budget fractions (step decay).",
            "He, Zhang, Ren and Sun, Deep Residual Learning for Image Recognition, CVPR 2016",
            Except(StepScheduleTechnique.TechniqueName, Schedules),
            Options(
                ("first", "first milestone as a budget fraction, [0.001, 1], default 0.5"),
                ("second", "second milestone, [first, 1] (1: none), default 0.75"),
                ("gamma", "multiplier at each milestone, [1e-6, 1], default 0.1")),
            o => new StepScheduleTechnique(new StepScheduleOptions
            {
                First = o.Number("first", 0.5, 0.001, 1),
                Second = o.Number("second", 0.75, 0.001, 1),
                Gamma = o.Number("gamma", 0.1, 1e-6, 1),
            }))
        {
            Folder = "StepSchedule",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            LargeBatchTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Multiplies the batch size by factor and the base learning rate by factor^lr_power (1: linear scaling, 0.5: square-root scaling).",
            "Goyal et al., Accurate, Large Minibatch SGD, 2017 (linear); Krizhevsky, One weird trick, 2014 and Hoffer, Hubara and Soudry, Train longer, generalize better, NeurIPS 2017 (square root)",
            ["batch_size"],
            Options(
                ("factor", "batch size multiplier, [2, 1024], default 4"),
                ("lr_power", "learning rate scales by factor^lr_power, [0, 1]: 1 linear, 0.5 square root, 0 unchanged; default 0.5")),
            o => new LargeBatchTechnique(o.WholeNumber("factor", 4, 2, 1024), o.Number("lr_power", 0.5, 0, 1)))
        {
            Folder = "LargeBatch",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            SamTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Steps with the gradient taken at w + rho * g / ||g|| (a second forward and backward pass per step: about twice the compute).",
            "Foret, Kleiner, Mobahi and Neyshabur, Sharpness-Aware Minimization for Efficiently Improving Generalization, ICLR 2021",
            [],
            Options(("rho", "neighbourhood radius, [1e-6, 10], default 0.05")),
            o => new SamTechnique(o.Number("rho", 0.05, 1e-6, 10)))
        {
            Folder = "Sam",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            EmaTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Keeps an exponential moving average of the weights after every step and evaluates with it.",
            "Polyak and Juditsky, Acceleration of stochastic approximation by averaging, 1992; Tarvainen and Valpola, Mean teachers are better role models, NeurIPS 2017",
            [SwaTechnique.TechniqueName],
            Options(("decay", "weight of the old average per step, [0, 0.999999], default 0.999")),
            o => new EmaTechnique(o.Number("decay", 0.999, 0, 0.999999)))
        {
            Folder = "Ema",
            Contract = TechniqueContract.On("digits-mlp"),
        },
        new(
            SwaTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "From a budget fraction on, averages the weights with equal weights every few steps and evaluates with the average.",
            "Izmailov et al., Averaging Weights Leads to Wider Optima and Better Generalization, UAI 2018",
            [EmaTechnique.TechniqueName],
            Options(
                ("start", "budget fraction at which averaging starts, [0, 1], default 0.75"),
                ("every", "steps between snapshots, [1, 1000000], default 1")),
            o => new SwaTechnique(o.Number("start", 0.75, 0, 1), o.WholeNumber("every", 1, 1, 1_000_000)))
        {
            Folder = "Swa",
            Contract = TechniqueContract.On("digits-mlp", ("start", "0")),
        },
        new(
            LookaheadTechnique.TechniqueName,
            TechniqueCategory.Optimization,
            "Every k steps moves slow weights alpha of the way to the fast weights and restarts the fast weights from them.",
            "Zhang, Lucas, Hinton and Ba, Lookahead Optimizer: k steps forward, 1 step back, NeurIPS 2019",
            [],
            Options(
                ("k", "fast steps per synchronisation, [1, 1000000], default 5"),
                ("alpha", "slow-weight step size, [0, 1], default 0.5")),
            o => new LookaheadTechnique(o.WholeNumber("k", 5, 1, 1_000_000), o.Number("alpha", 0.5, 0, 1)))
        {
            Folder = "Lookahead",
            Contract = TechniqueContract.On("digits-mlp", ("k", "1")),
        },
    ];

    /// <summary>The other names of a group that conflict with <paramref name="name"/>.</summary>
    private static string[] Except(string name, string[] group) => [.. group.Where(n => n != name)];

    private static SortedDictionary<string, string> AdamOptionHelp(double epsilon, double weightDecay, string decayMeaning) => Options(
        ("beta1", "first-moment decay, [0, 0.9999], default 0.9"),
        ("beta2", "second-moment decay, [0, 0.99999], default 0.999"),
        ("eps", FormattableString.Invariant($"added to the root of the second moment, [1e-12, 1], default {epsilon:R}")),
        ("weight_decay", FormattableString.Invariant($"{decayMeaning}, [0, 1], default {weightDecay:R}")),
        ("lr_scale", "multiplier on the scheduled learning rate (0.05 SGD ~ 0.001 Adam: 0.02), [1e-6, 100], default 1"));

    private static AdamOptions ReadAdam(TechniqueOptionReader o, double epsilon, double weightDecay) => new()
    {
        Beta1 = o.Number("beta1", 0.9, 0, 0.9999),
        Beta2 = o.Number("beta2", 0.999, 0, 0.99999),
        Epsilon = o.Number("eps", epsilon, 1e-12, 1),
        WeightDecay = o.Number("weight_decay", weightDecay, 0, 1),
        LearningRateScale = o.Number("lr_scale", 1.0, 1e-6, 100),
    };

    private static SortedDictionary<string, string> Options(params (string Key, string Help)[] options) =>
        new(options.ToDictionary(o => o.Key, o => o.Help, StringComparer.Ordinal), StringComparer.Ordinal);
}
