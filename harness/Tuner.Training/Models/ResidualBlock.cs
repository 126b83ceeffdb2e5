using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tuner.Training.Models;

/// <summary>
/// x + Scale * fc2(relu(fc1(x))). Techniques drive it: <see cref="Skip"/> drops the residual branch for the current
/// forward pass (stochastic depth, training), <see cref="ResidualScale"/> scales it (stochastic depth at evaluation, Fixup).
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, CA1051 // TorchSharp registers submodules from fields
    private readonly Linear fc1;
    private readonly Linear fc2;
#pragma warning restore IDE1006, CA1051

    public ResidualBlock(string name, long width)
        : base(name)
    {
        fc1 = nn.Linear(width, width);
        fc2 = nn.Linear(width, width);
        RegisterComponents();
    }

    public Linear First => fc1;

    public Linear Second => fc2;

    /// <summary>When true, forward returns its input unchanged (the block is dropped for this pass).</summary>
    public bool Skip { get; set; }

    public double ResidualScale { get; set; } = 1.0;

    public override Tensor forward(Tensor input)
    {
        if (Skip)
        {
            return input.alias();
        }

        using Tensor hidden = fc1.call(input);
        using Tensor activated = nn.functional.relu(hidden);
        using Tensor branch = fc2.call(activated);
        return ResidualScale == 1.0 ? input.add(branch) : input.add(branch, ResidualScale);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            fc1.Dispose();
            fc2.Dispose();
        }

        base.Dispose(disposing);
    }
}
