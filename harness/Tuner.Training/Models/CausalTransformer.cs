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
    public double TrainingFlopsPerToken => TrainingFlopsPerSequence(Context) / Context;

    /// <summary>
    /// Model FLOPs of one sequence of <paramref name="length"/> tokens, forward and backward: per token the dense layers
    /// (12 d^2 per block), attention over <paramref name="length"/> positions (2 T d per block) and, with
    /// <paramref name="vocabularyHead"/>, the head over the vocabulary (V d); 6 FLOPs per multiply-add's weight use.
    /// </summary>
    public double TrainingFlopsPerSequence(long length, bool vocabularyHead = true) =>
        6.0 * length * ((Layers * ((12.0 * Width * Width) + (2.0 * length * Width))) + (vocabularyHead ? (double)Vocabulary * Width : 0));

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

    /// <param name="shape">The size.</param>
    /// <param name="explicitAttention">softmax(QK^T/sqrt(d))V written out instead of the fused kernel (the attention technique's comparison).</param>
    public CausalTransformer(TransformerShape shape, bool explicitAttention = false)
        : base("causal_transformer")
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        Shape = shape;
        tokens = nn.Embedding(shape.Vocabulary, shape.Width);
        positions = nn.Embedding(shape.Context, shape.Width);
        blocks = nn.ModuleList([.. Enumerable.Range(0, shape.Layers).Select(i => new TransformerBlock($"block{i}", shape.Width, shape.Heads, causal: true, explicitAttention))]);
        norm = nn.LayerNorm(shape.Width);
        head = shape.TieWeights ? null : nn.Linear(shape.Width, shape.Vocabulary);
        TransformerBlock.InitEmbeddings(tokens, positions);

        RegisterComponents();
    }

    public TransformerShape Shape { get; }

    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor x = norm.call(TransformerBlock.Trunk(tokens, positions, blocks, Shape.Context, input));
        Tensor logits = head is null ? matmul(x, tokens.weight!.t()) : head.call(x);
        return logits.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// One pre-LayerNorm Transformer block: x + attention(LN(x)), then x + MLP(LN(x)) with a GELU MLP of 4x the width.
/// Attention is libtorch's fused <c>scaled_dot_product_attention</c>, or with <c>explicitAttention</c> the same
/// computation written out (scores, mask, softmax, weighted sum: materialises the [B, heads, T, T] scores).
/// </summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Linear qkv;
    private readonly Linear projection;
    private readonly LayerNorm norm2;
    private readonly Linear up;
    private readonly Linear down;
    private readonly int _heads;
    private readonly bool _causal;
    private readonly bool _explicit;
    private bool _checkpoint;
    private Tensor?[] _handedOver = [];

    public TransformerBlock(string name, int width, int heads, bool causal, bool explicitAttention)
        : base(name)
    {
        _heads = heads;
        _causal = causal;
        _explicit = explicitAttention;
        norm1 = nn.LayerNorm(width);
        qkv = nn.Linear(width, 3 * width);
        projection = nn.Linear(width, width);
        norm2 = nn.LayerNorm(width);
        up = nn.Linear(width, 4 * width);
        down = nn.Linear(4 * width, width);
        RegisterComponents();
    }

    /// <summary>
    /// GPT-2's initialisation of the token and position embeddings, N(0, 0.02) (a unit-variance embedding tied to the head
    /// would start with huge logits), in place on the parameters (nn.init.normal_ would return one more tensor handle each).
    /// </summary>
    internal static void InitEmbeddings(Embedding tokens, Embedding positions)
    {
        using (no_grad())
        {
            tokens.weight!.normal_(0, 0.02);
            positions.weight!.normal_(0, 0.02);
        }
    }

    /// <summary>Token plus position embeddings of [B, T] ids (T at most <paramref name="context"/>), then every block: [B, T, d].</summary>
    internal static Tensor Trunk(Embedding tokens, Embedding positions, IEnumerable<TransformerBlock> blocks, int context, Tensor input)
    {
        long length = input.shape[1];
        if (length > context)
        {
            throw new ArgumentException($"a sequence of {length} tokens is longer than the model's context of {context}: shorten the sequences or build the model with a longer context");
        }

        Tensor ids = input.dtype == ScalarType.Int64 ? input : input.to_type(ScalarType.Int64);
        Tensor x = tokens.call(ids) + positions.call(arange(length, dtype: ScalarType.Int64, device: input.device));
        foreach (TransformerBlock block in blocks)
        {
            x = block.call(x);
        }

        return x;
    }

    /// <summary>Whether attention is written out rather than the fused kernel.</summary>
    public bool ExplicitAttention => _explicit;

    /// <summary>Forward passes through this block so far, skipped or not (what a probe counts to see which attention ran).</summary>
    public long Calls { get; private set; }

    /// <summary>Forward passes that computed the block (not skipped, not inactive), recomputations not included.</summary>
    public long Computed { get; private set; }

    /// <summary>Recomputations of the block's forward pass during backward (activation checkpointing).</summary>
    public long Recomputed { get; internal set; }

    /// <summary>
    /// Whether the block is part of the model (true unless layer stacking has not grown the model to it yet). An inactive
    /// block returns its input, in training and evaluation alike.
    /// </summary>
    public bool Active { get; set; } = true;

    /// <summary>Skip this forward pass (returns the input): progressive layer dropping sets it per training step.</summary>
    public bool Skip { get; set; }

    /// <summary>
    /// Factor on both residual branches (attention and MLP) when the block computes; 1 by default. Layer dropping trains a
    /// kept block with 1/p (inverted scaling), so evaluation, which keeps every block, needs no rescaling.
    /// </summary>
    public double BranchScale { get; set; } = 1;

    /// <summary>
    /// Activation checkpointing: in a forward pass that records gradients the block keeps only its input, not its
    /// activations, and recomputes its forward pass during backward (<see cref="CheckpointedBlock"/>).
    /// </summary>
    public bool Checkpoint
    {
        get => _checkpoint;
        set
        {
            _checkpoint = value;
            if (!value)
            {
                ReleaseHandedOver();
            }
        }
    }

    /// <summary>Keeps the gradients a recomputation returned to libtorch, freeing the ones before them (consumed by then).</summary>
    internal void HandOver(Tensor[] gradients)
    {
        ReleaseHandedOver();
        _handedOver = gradients;
    }

    private void ReleaseHandedOver()
    {
        foreach (Tensor? gradient in _handedOver)
        {
            gradient?.Dispose();
        }

        _handedOver = [];
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleaseHandedOver();
        }

        base.Dispose(disposing);
    }

    public override Tensor forward(Tensor x)
    {
        Calls++;
        if (!Active || Skip)
        {
            return x;
        }

        Computed++;
        return Checkpoint && is_grad_enabled() && x.requires_grad
            ? CheckpointedBlock.Apply(x, this, BranchScale)
            : Compute(x, BranchScale);
    }

    /// <summary>The block's computation with residual branches scaled by <paramref name="scale"/>.</summary>
    internal Tensor Compute(Tensor x, double scale)
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        Tensor[] parts = qkv.call(norm1.call(x)).chunk(3, -1);
        Tensor Heads(Tensor p) => p.view(b, t, _heads, d / _heads).transpose(1, 2);
        Tensor q = Heads(parts[0]), k = Heads(parts[1]), v = Heads(parts[2]);
        Tensor attended = _explicit ? Explicit(q, k, v) : nn.functional.scaled_dot_product_attention(q, k, v, null, 0.0, _causal);
        Tensor attention = projection.call(attended.transpose(1, 2).reshape(b, t, d));
        x = x + (scale == 1 ? attention : attention.mul(scale));
        Tensor mlp = down.call(nn.functional.gelu(up.call(norm2.call(x))));
        return x + (scale == 1 ? mlp : mlp.mul(scale));
    }

    private Tensor Explicit(Tensor q, Tensor k, Tensor v)
    {
        long t = q.shape[2];
        Tensor scores = matmul(q, k.transpose(-2, -1)).mul_(1.0 / Math.Sqrt(q.shape[3]));
        if (_causal)
        {
            using Tensor future = ones(t, t, dtype: ScalarType.Bool, device: q.device).triu(1);
            scores = scores.masked_fill(future, double.NegativeInfinity);
        }

        return matmul(scores.softmax(-1), v);
    }
}

/// <summary>
/// A Transformer encoder classifier over token ids (bytes of a text): token and learned position embeddings,
/// <see cref="TransformerShape.Layers"/> pre-LayerNorm blocks without a causal mask (every position sees every other), a
/// final LayerNorm, the mean over positions and a linear head to the classes. Input [B, T] token ids (T at most the
/// context), output [B, classes] logits.
/// </summary>
public sealed class TransformerClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tokens;
    private readonly Embedding positions;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public TransformerClassifier(TransformerShape shape, int classes, bool explicitAttention = false)
        : base("transformer_classifier")
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        Shape = shape;
        tokens = nn.Embedding(shape.Vocabulary, shape.Width);
        positions = nn.Embedding(shape.Context, shape.Width);
        blocks = nn.ModuleList([.. Enumerable.Range(0, shape.Layers).Select(i => new TransformerBlock($"block{i}", shape.Width, shape.Heads, causal: false, explicitAttention))]);
        norm = nn.LayerNorm(shape.Width);
        head = nn.Linear(shape.Width, classes);
        TransformerBlock.InitEmbeddings(tokens, positions);

        RegisterComponents();
    }

    public TransformerShape Shape { get; }

    public override Tensor forward(Tensor input)
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor x = TransformerBlock.Trunk(tokens, positions, blocks, Shape.Context, input);
        return head.call(norm.call(x).mean([1])).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Activation checkpointing of one <see cref="TransformerBlock"/> (Chen et al., 2016), in the non-reentrant form: the
/// block's input and its trainable parameters are the function's inputs; the forward pass runs without recording the
/// graph and keeps only the input; backward recomputes the block with gradients on from that input and returns the
/// gradients of the input and of every parameter (<c>autograd.grad</c>), which autograd routes like any other node's, so
/// <c>backward()</c> accumulates them and <c>autograd.grad</c> over the parameters sees them. Memory: one [B, T, d] input
/// per block instead of every activation inside it; time: one more forward pass of the block.
/// </summary>
internal sealed class CheckpointedBlock : autograd.SingleTensorFunction<CheckpointedBlock>
{
    public override string Name => "checkpointed_transformer_block";

    /// <summary>The block's forward pass through the function: the trainable parameters become its inputs.</summary>
    public static Tensor Apply(Tensor x, TransformerBlock block, double scale)
    {
        TorchSharp.Modules.Parameter[] parameters = [.. block.parameters().Where(p => p.requires_grad)];
        return apply([x, block, scale, parameters, .. parameters]);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        ctx.save_for_backward([x]);
        ctx.save_data("block", vars[1]);
        ctx.save_data("scale", vars[2]);
        ctx.save_data("parameters", vars[3]);
        // Its own scope: the block's intermediates are freed as soon as it is done, not when the model's forward ends
        // (without this every block's activations would still be alive at the end of the forward pass).
        using DisposeScope scope = NewDisposeScope();
        return ((TransformerBlock)vars[1]).Compute(x, (double)vars[2]).MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var block = (TransformerBlock)ctx.get_data("block");
        double scale = (double)ctx.get_data("scale");
        var parameters = (TorchSharp.Modules.Parameter[])ctx.get_data("parameters");
        Tensor[] gradients;
        using (Tensor saved = ctx.get_saved_variables()[0])
        using (DisposeScope scope = NewDisposeScope())
        using (enable_grad())
        {
            Tensor input = saved.detach().requires_grad_(true);
            Tensor output = block.Compute(input, scale);
            block.Recomputed++;
            IList<Tensor> grads = autograd.grad([output], [input, .. parameters], [grad_output], allow_unused: true);
            gradients = [.. grads.Select(g => g?.DetachFromDisposeScope()!)];
        }

        // The wrapper of the incoming gradient is this callback's to free; the returned ones are read by libtorch after the
        // callback returns, so the block frees them at its next recomputation or when checkpointing ends.
        grad_output.Dispose();
        block.HandOver(gradients);
        return [gradients[0], null!, null!, null!, .. gradients[1..]];
    }
}
