using TorchSharp.Modules;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Model.Precision;

/// <summary>
/// Mixed-precision training in bfloat16 with float32 master weights. The model's parameters, their gradients and the
/// optimizer stay float32. Between BeforeForward and AfterForward every Linear layer computes on bfloat16 casts of its input
/// and weights (<see cref="PrecisionMath.Linear"/>), so its activations and the backward pass through them are bfloat16; the
/// outputs are cast back to float32 at AfterForward, so the loss is float32. Outside the training forward pass (evaluation,
/// other techniques' own forward passes) the model computes in float32.
/// </summary>
/// <remarks>
/// <para>A Transformer's embeddings and LayerNorms stay float32 (autocast's rule); its attention runs on the bfloat16
/// outputs of the qkv layer; a head tied to the embedding (a matrix product, not a Linear layer) computes in float32, so
/// its logits are float32.</para>
/// <para>Convolutions stay float32 (a bfloat16 input is cast up before them): libtorch 2.10's CPU bfloat16 convolution
/// (oneDNN 3.7.1 jit_bf16 kernels) returns wrong outputs for output-channel counts that are not a multiple of 16 and wrong
/// input gradients for small channel counts on the AVX512-BF16 machine this was measured on, and bfloat16 matrix products
/// with a short reduction dimension in a batch (the im2col route) fail the same way; 2-d matrix products (Linear) were
/// correct for every shape tried.</para>
/// <para>TorchSharp 0.107 exposes no autocast, and a TorchSharp layer's weight cannot be swapped for a cast without disposing
/// it, so each Linear layer gets a forward pre-hook that keeps its input and hands the layer an empty batch (its own float32
/// forward then does no work) and a forward hook that returns the bfloat16 result computed from the kept input.</para>
/// </remarks>
public sealed class PrecisionTechnique : ITechnique
{
    public const string TechniqueName = "precision";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Model,
        Folder = "Precision",
        Summary = "Mixed precision: Linear layers compute the training forward pass on bfloat16 casts of their float32 master weights (autocast-style), " +
            "gradients and the optimizer stay float32; convolutions stay float32 (libtorch's CPU bf16 convolution is wrong for many shapes). " +
            "Faster only on CPUs with native bf16 (AVX512-BF16, AMX).",
        Paper = "Micikevicius et al., Mixed Precision Training, ICLR 2018; Kalamkar et al., A Study of BFLOAT16 for Deep Learning Training, 2019",
        Conflicts = ["activation_checkpointing"],
        Order = 220,
        Create = _ => new PrecisionTechnique(),
        ProbeSummary = "the training forward pass produces bfloat16 logits (the Linear matmuls ran in bf16) that reach the loss as float32, and the master weights stay float32",
        Probe = t => new PrecisionProbe(t),
    };
    private readonly List<Action> _removeHooks = [];
    private bool _active;

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Model;

    /// <summary>Linear layer forward passes computed in the working precision so far (what the probe counts).</summary>
    public long WorkingForwards { get; private set; }

    /// <summary>The working precision of the Linear layers' forward pass.</summary>
    public static ScalarType WorkingType => PrecisionMath.WorkingType;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.FitStart or TrainingEvent.BeforeForward or TrainingEvent.FitEnd => true,
        TrainingEvent.AfterForward => _active,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                RegisterHooks(state.Model);
                break;
            case TrainingEvent.BeforeForward:
                _active = true;
                break;
            case TrainingEvent.AfterForward:
                _active = false;
                if (state.Outputs is { } outputs && outputs.is_floating_point() && outputs.dtype != ScalarType.Float32)
                {
                    state.Outputs = outputs.to(ScalarType.Float32);
                }

                break;
            case TrainingEvent.FitEnd:
                _active = false;
                _removeHooks.ForEach(remove => remove());
                _removeHooks.Clear();
                break;
        }
    }

    private void RegisterHooks(nn.Module<Tensor, Tensor> model)
    {
        IReadOnlyList<nn.Module<Tensor, Tensor>> layers = ModelLayers.Parametric(model);
        // A Transformer's embeddings (a lookup) and LayerNorms stay float32, as autocast keeps them: a LayerNorm gets its
        // input cast up, so normalisation statistics are float32 and the next Linear casts down again.
        nn.Module[] float32Layers = [.. model.modules().Where(m => m is Embedding or LayerNorm)];
        long covered = layers.SelectMany(ModelLayers.Parameters).Count() + float32Layers.Sum(m => m.parameters().Count());
        long all = model.parameters().Count();
        if (covered != all)
        {
            throw new InvalidOperationException(
                $"{TechniqueName} computes Linear layers in bfloat16 and Conv2d, LayerNorm and Embedding layers in float32, but this model has {all - covered} parameter(s) in other layers");
        }

        foreach (LayerNorm norm in float32Layers.OfType<LayerNorm>())
        {
            var pre = norm.register_forward_pre_hook((_, input) => input.dtype == ScalarType.Float32 ? input : input.to(ScalarType.Float32));
            _removeHooks.Add(() => pre.remove());
        }

        foreach (nn.Module<Tensor, Tensor> layer in layers)
        {
            if (layer is Linear linear)
            {
                var hooks = new LinearHooks(this, linear);
                var pre = linear.register_forward_pre_hook(hooks.Before);
                var post = linear.register_forward_hook(hooks.After);
                _removeHooks.Add(() =>
                {
                    pre.remove();
                    post.remove();
                });
            }
            else
            {
                ScalarType masterType = ModelLayers.Weight(layer).dtype;
                var pre = layer.register_forward_pre_hook((_, input) => input.dtype == masterType ? input : input.to(masterType));
                _removeHooks.Add(() => pre.remove());
            }
        }
    }

    /// <summary>The pair of hooks that runs one Linear layer in the working precision while the technique is active.</summary>
    private sealed class LinearHooks(PrecisionTechnique owner, Linear layer)
    {
        private Tensor? _input;

        public Tensor Before(nn.Module<Tensor, Tensor> module, Tensor input)
        {
            if (!owner._active)
            {
                return input;
            }

            _input = input;
            using Tensor empty = input.narrow(0, 0, 0);
            return empty.to(layer.weight.dtype);
        }

        public Tensor After(nn.Module<Tensor, Tensor> module, Tensor input, Tensor output)
        {
            if (_input is not { } kept)
            {
                return output;
            }

            _input = null;
            owner.WorkingForwards++;
            return PrecisionMath.Linear(kept, layer.weight, layer.bias, WorkingType);
        }
    }
}
