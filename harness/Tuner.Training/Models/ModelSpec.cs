namespace Tuner.Training.Models;

/// <summary>
/// The shape of a suite's model.
/// <list type="bullet">
/// <item><c>mlp</c>: flatten, then <see cref="Hidden"/> fully connected ReLU layers, then the head.</item>
/// <item><c>resmlp</c>: flatten, a stem to width <see cref="Hidden"/>[0], <see cref="Blocks"/> residual blocks
/// (<see cref="ResidualBlock"/>: x + fc(relu(fc(x)))), ReLU, then the head. The model for stochastic depth.</item>
/// <item><c>cnn</c>: per entry of <see cref="Channels"/> a 3x3 convolution (padding 1), ReLU and 2x2 max-pool; an
/// adaptive average pool to the full-resolution feature size (identity at full size, so smaller inputs also work:
/// progressive resizing); then the <see cref="Hidden"/> fully connected layers.</item>
/// <item><c>transformer</c>: a decoder-only language model (<see cref="CausalTransformer"/>) over token ids [T] predicting
/// the next token at every position: <see cref="Vocabulary"/> tokens, <see cref="Context"/> positions,
/// <see cref="Width"/>, <see cref="Layers"/>, <see cref="Heads"/>, the head tied to the embedding when <see cref="TieWeights"/>.</item>
/// <item><c>encoder</c>: the same blocks without the causal mask over token ids [T], mean-pooled into a classifier head
/// (<see cref="TransformerClassifier"/>).</item>
/// </list>
/// </summary>
public sealed record ModelSpec(string Kind, IReadOnlyList<int> Hidden, IReadOnlyList<int> Channels)
{
    public static readonly IReadOnlyList<string> Kinds = ["mlp", "resmlp", "cnn", "transformer", "encoder"];

    /// <summary>The attention implementations of the Transformer kinds: libtorch's fused kernel, or softmax(QK^T/sqrt(d))V written out.</summary>
    public static readonly IReadOnlyList<string> AttentionKinds = ["fused", "explicit"];

    /// <summary>Residual blocks of a <c>resmlp</c>.</summary>
    public int Blocks { get; init; } = 2;

    /// <summary>Transformer kinds: model width d.</summary>
    public int Width { get; init; } = 128;

    /// <summary>Transformer kinds: blocks.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Transformer kinds: attention heads (the width divides by it).</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Transformer kinds: the longest sequence (learned positions).</summary>
    public int Context { get; init; } = 128;

    /// <summary>Transformer kinds: input tokens (a language model also predicts these, so its data's classes must equal it).</summary>
    public int Vocabulary { get; init; } = 256;

    /// <summary><c>transformer</c>: the output head reuses the token embedding.</summary>
    public bool TieWeights { get; init; } = true;

    /// <summary>Transformer kinds: <c>fused</c> (scaled_dot_product_attention) or <c>explicit</c>.</summary>
    public string Attention { get; init; } = "fused";

    /// <summary>Whether the model reads token ids (the Transformer kinds) rather than real-valued features.</summary>
    public bool ReadsTokens => Kind is "transformer" or "encoder";

    /// <summary>The Transformer kinds' size as <see cref="TransformerShape"/>.</summary>
    public TransformerShape Transformer => new(Vocabulary, Context, Width, Layers, Heads, Kind == "transformer" && TieWeights);

    public override string ToString() => Kind switch
    {
        "cnn" => $"cnn(channels {string.Join("-", Channels)}, hidden {string.Join("-", Hidden)})",
        "resmlp" => $"resmlp(width {(Hidden.Count > 0 ? Hidden[0] : 0)}, {Blocks} blocks)",
        "transformer" or "encoder" =>
            $"{Kind}(width {Width}, {Layers} layers, {Heads} heads, context {Context}, vocabulary {Vocabulary}{(Kind == "transformer" && !TieWeights ? ", untied" : string.Empty)}{(Attention == "fused" ? string.Empty : $", {Attention} attention")})",
        _ => $"mlp(hidden {string.Join("-", Hidden)})",
    };
}
