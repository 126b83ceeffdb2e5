using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Spirals;

/// <summary>
/// A small network for points in the plane: learned Fourier features [sin(xW + b), cos(xW + b)] (Tancik et al. 2020,
/// with trainable frequencies), then one hidden SiLU layer and the class logits.
/// </summary>
public sealed class FourierNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear frequencies;
    private readonly Linear hidden;
    private readonly Linear head;

    public FourierNet(int inputs, int features, int width, int classes, double scale)
        : base(nameof(FourierNet))
    {
        frequencies = nn.Linear(inputs, features);
        hidden = nn.Linear(2 * features, width);
        head = nn.Linear(width, classes);
        using (no_grad())
        {
            frequencies.weight!.normal_(0, scale); // the frequency scale sets how fine a boundary the features can draw
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using Tensor phase = frequencies.call(input);
        using Tensor features = cat([sin(phase), cos(phase)], 1);
        using Tensor activated = nn.functional.silu(hidden.call(features));
        return head.call(activated);
    }
}
