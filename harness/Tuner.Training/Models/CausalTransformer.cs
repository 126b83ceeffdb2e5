using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tuner.Training.Models;

/// <summary>The size of a <see cref="CausalTransformer"/>.</summary>
/// <param name="Vocabulary">Tokens (characters: 128 for ASCII).</param>
/// <param name="Context">Tokens per sequence (learned positions for each).</param>
/// <param name="Width">Model width d.</param>
/// <param name="Layers">Transformer blocks.</param>
/// <param name="Heads">Attention heads (Width must divide by it).</param>
/// <param name="TieWeights">The output head reuses the token embedding (transposed), as GPT-2 does.</param>
public sealed record TransformerShape(int Vocabulary, int Context, int Width, int Layers, int Heads, bool TieWeights = true)
{
    /// <summary>Trainable parameters (embeddings, blocks, final norm, head when untied).</summary>
    public long Parameters
    {
        get
        {
            long d = Width;
            long block = (2 * 2 * d) + (3 * d * d) + (3 * d) + (d * d) + d + (4 * d * d) + (4 * d) + (4 * d * d) + d;
            return (Vocabulary * d) + (Context * d) + (Layers * block) + (2 * d) + (TieWeights ? 0 : (Vocabulary * d) + Vocabulary);
        }
    }

    /// <summary>
    /// Model FLOPs per token for a forward and backward pass (3x the forward's multiply-adds x 2): the dense layers
    /// (12 d^2 per block: qkv 3, projection 1, MLP 8) and the head (V d), and attention's scores and weighted sum
    /// (2 T d per block on average over a causal sequence: T/2 keys for QK^T and as many values, computed in full by
    /// the fused kernel: T d each, counted in full here).
    /// </summary>
    public double TrainingFlopsPerToken => 6.0 * ((Layers * ((12.0 * Width * Width) + (2.0 * Context * Width))) + ((double)Vocabulary * Width));

    /// <summary>Throws a one-line <see cref="ArgumentException"/> for an impossible shape.</summary>
    public void Validate()
    {
        if (Vocabulary < 2 || Context < 1 || Width < 1 || Layers < 1 || Heads < 1)
        {
            throw new ArgumentException($"a transformer needs a vocabulary of at least 2 and a positive context, width, layer count and head count, got {this}");
        }

        if (Width % Heads != 0)
        {
            throw new ArgumentException($"the width {Width} does not divide into {Heads} heads: use a width that is a multiple of the head count");
        }
    }
}

/// <summary>
/// A decoder-only Transformer for next-token prediction (GPT-2's layout at small scale): token and learned position
/// embeddings; <see cref="TransformerShape.Layers"/> pre-LayerNorm blocks, each x + attention(LN(x)) then
/// x + MLP(LN(x)) with causal self-attention through libtorch's fused <c>scaled_dot_product_attention</c> and a GELU MLP
/// of 4x the width; a final LayerNorm; the head (tied to the token embedding by default). Input: [B, T] token ids (any
/// numeric type; T at most the context), output: [B, T, vocabulary] logits, position t predicting token t + 1.
/// </summary>
public sealed class CausalTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tokens;
    private readonly Embedding positions;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear? head;

    public CausalTransformer(TransformerShape shape)
        : base("causal_transformer")
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        Shape = shape;
        tokens = nn.Embedding(shape.Vocabulary, shape.Width);
        positions = nn.Embedding(shape.Context, shape.Width);
        blocks = nn.ModuleList([.. Enumerable.Range(0, shape.Layers).Select(i => new TransformerBlock($"block{i}", shape.Width, shape.Heads))]);
        norm = nn.LayerNorm(shape.Width);
        head = shape.TieWeights ? null : nn.Linear(shape.Width, shape.Vocabulary);
        using (no_grad())
        {
            // GPT-2's initialisation: N(0, 0.02) embeddings (a unit-variance embedding tied to the head would start with huge logits).
            nn.init.normal_(tokens.weight, 0, 0.02);
            nn.init.normal_(positions.weight, 0, 0.02);
        }

        RegisterComponents();
    }

    public TransformerShape Shape { get; }

    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        long length = input.shape[1];
        if (length > Shape.Context)
        {
            throw new ArgumentException($"a sequence of {length} tokens is longer than the model's context of {Shape.Context}: shorten the sequences or build the model with a longer context");
        }

        Tensor ids = input.dtype == ScalarType.Int64 ? input : input.to_type(ScalarType.Int64);
        Tensor x = tokens.call(ids) + positions.call(arange(length, dtype: ScalarType.Int64, device: input.device));
        foreach (TransformerBlock block in blocks)
        {
            x = block.call(x);
        }

        x = norm.call(x);
        Tensor logits = head is null ? matmul(x, tokens.weight!.t()) : head.call(x);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>One pre-LayerNorm block: causal multi-head self-attention, then a GELU MLP, each with a residual.</summary>
    private sealed class TransformerBlock : nn.Module<Tensor, Tensor>
    {
        private readonly LayerNorm norm1;
        private readonly Linear qkv;
        private readonly Linear projection;
        private readonly LayerNorm norm2;
        private readonly Linear up;
        private readonly Linear down;
        private readonly int _heads;

        public TransformerBlock(string name, int width, int heads)
            : base(name)
        {
            _heads = heads;
            norm1 = nn.LayerNorm(width);
            qkv = nn.Linear(width, 3 * width);
            projection = nn.Linear(width, width);
            norm2 = nn.LayerNorm(width);
            up = nn.Linear(width, 4 * width);
            down = nn.Linear(4 * width, width);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            long b = x.shape[0], t = x.shape[1], d = x.shape[2];
            Tensor[] parts = qkv.call(norm1.call(x)).chunk(3, -1);
            Tensor Heads(Tensor p) => p.view(b, t, _heads, d / _heads).transpose(1, 2);
            Tensor attended = nn.functional.scaled_dot_product_attention(Heads(parts[0]), Heads(parts[1]), Heads(parts[2]), null, 0.0, true);
            x = x + projection.call(attended.transpose(1, 2).reshape(b, t, d));
            return x + down.call(nn.functional.gelu(up.call(norm2.call(x))));
        }
    }
}
