using Tuner.Core.Errors;
using Tuner.Core.Options;

namespace Tuner.Core.Configuration;

/// <summary>An optimizer the engine can step: its name, what it does (including how it uses the recipe's shared
/// <c>momentum</c> and <c>weight_decay</c>), its paper and its own typed options.</summary>
public sealed record OptimizerInfo(string Name, string Summary, string Paper, IReadOnlyList<OptionSpec> Options)
{
    /// <summary>
    /// A learning rate it trains the built-in MLP suites well at (measured: with EMA, fashion-mlp reaches 88% in 4-6 s
    /// at these rates on one thread); null for the SGD family, whose rate is the suite's. Shown by <c>tuner list
    /// optimizers</c> and in the note <c>tuner run</c> prints when the optimizer is switched without a rate.
    /// </summary>
    public double? TypicalLearningRate { get; init; }
}

/// <summary>
/// The optimizers, chosen one way only: the recipe key <c>optimizer</c> (<c>--set optimizer=adam</c>, a search space's
/// <c>optimizer</c> choice, a suite's or manifest's <c>baseline.optimizer</c>), with its options written
/// <c>--set optimizer=lars:trust=0.02</c>. The engine builds the one chosen optimizer and steps it exactly once per
/// batch; techniques compose around that step (see the README's "Update path").
/// </summary>
public static class OptimizerCatalog
{
    public const string Sgd = "sgd";
    public const string Nesterov = "nesterov";
    public const string Adam = "adam";
    public const string AdamW = "adamw";
    public const string Lamb = "lamb";
    public const string Lars = "lars";

    public static IReadOnlyList<OptimizerInfo> All { get; } =
    [
        new(Sgd, "SGD with heavy-ball momentum (recipe momentum) and L2 weight decay added to the gradient (recipe weight_decay).",
            "Robbins and Monro, A Stochastic Approximation Method, 1951; Polyak, Some methods of speeding up the convergence of iteration methods, 1964", []),
        new(Nesterov, "SGD with Nesterov momentum (recipe momentum; PyTorch's formulation, dampening 0) and L2 weight decay (recipe weight_decay).",
            "Sutskever, Martens, Dahl and Hinton, On the importance of initialization and momentum in deep learning, ICML 2013", []),
        new(Adam, "Adam: bias-corrected first and second moments; recipe weight_decay is L2 decay added to the gradient; recipe momentum is not used (beta1 is).",
            "Kingma and Ba, Adam: A Method for Stochastic Optimization, ICLR 2015", AdamFamily(1e-8)) { TypicalLearningRate = 0.001 },
        new(AdamW, "AdamW: Adam with weight decay decoupled from the gradient (w *= 1 - lr * weight_decay; recipe weight_decay, PyTorch's default is 0.01).",
            "Loshchilov and Hutter, Decoupled Weight Decay Regularization, ICLR 2019", AdamFamily(1e-8)) { TypicalLearningRate = 0.001 },
        new(Lamb, "LAMB: Adam's update plus decoupled weight decay (recipe weight_decay), scaled per parameter tensor by the trust ratio ||w|| / ||update||.",
            "You et al., Large Batch Optimization for Deep Learning: Training BERT in 76 minutes, ICLR 2020", AdamFamily(1e-6)) { TypicalLearningRate = 0.003 },
        new(Lars, "LARS: SGD momentum (recipe momentum) with a per-tensor rate trust * ||w|| / (||g|| + weight_decay * ||w||); wants a much larger learning rate than SGD.",
            "You, Gitman and Ginsburg, Large Batch Training of Convolutional Networks, arXiv 1708.03888, 2017",
            [OptionSpec.Number("trust", 0.001, 1e-6, 1, "trust coefficient eta")]) { TypicalLearningRate = 2 },
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(o => o.Name)];

    public static OptimizerInfo? Find(string name) => All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Parses <c>name</c> or <c>name:key=value,key=value</c> into the optimizer's name and its validated options (kept as
    /// given text, sorted); one-line input errors for an unknown optimizer, a malformed, unknown or out-of-range option.
    /// </summary>
    public static (string Name, IReadOnlyDictionary<string, string> Options) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        string name = (colon < 0 ? trimmed : trimmed[..colon]).Trim().ToLowerInvariant();
        OptimizerInfo info = Find(name) ?? throw new TunerInputException(
            $"unknown optimizer '{name}' in --set optimizer: use one of {string.Join(", ", Names)} (tuner list optimizers)");
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (colon >= 0)
        {
            if (string.IsNullOrWhiteSpace(trimmed[(colon + 1)..].Replace(',', ' ')))
            {
                throw new TunerInputException($"optimizer {info.Name}: nothing after ':': write --set optimizer={info.Name} or --set optimizer={info.Name}:key=value[,key=value]");
            }

            foreach (string part in trimmed[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == part.Length - 1)
                {
                    throw new TunerInputException($"optimizer {info.Name}: malformed option '{part}': write --set optimizer={info.Name}:key=value[,key=value]");
                }

                string key = part[..eq].Trim().ToLowerInvariant();
                if (!options.TryAdd(key, part[(eq + 1)..].Trim()))
                {
                    throw new TunerInputException($"optimizer {info.Name}: option {key} is given twice: give it once");
                }
            }
        }

        _ = Values(info.Name, options);
        return (info.Name, options);
    }

    /// <summary>The validated options of optimizer <paramref name="name"/> (defaults for those not given).</summary>
    public static OptionValues Values(string name, IReadOnlyDictionary<string, string> options)
    {
        OptimizerInfo info = Find(name) ?? throw new TunerInputException($"unknown optimizer '{name}': use one of {string.Join(", ", Names)}");
        return new OptionValues($"optimizer {info.Name}", info.Options, options);
    }

    private static OptionSpec[] AdamFamily(double epsilon) =>
    [
        OptionSpec.Number("beta1", 0.9, 0, 0.9999, "first-moment decay"),
        OptionSpec.Number("beta2", 0.999, 0, 0.99999, "second-moment decay"),
        OptionSpec.Number("eps", epsilon, 1e-12, 1, "added to the root of the second moment"),
    ];
}
