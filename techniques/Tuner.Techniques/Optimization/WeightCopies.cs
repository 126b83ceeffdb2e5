using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization;

/// <summary>
/// Detached copies of a model's parameters (an average, slow weights) that the technique owns, and the swap that lets
/// evaluation see them: <see cref="SwapIn"/> saves the live weights and loads the copies, <see cref="SwapOut"/> puts the
/// live weights back. Every tensor kept here is detached from dispose scopes and disposed by <see cref="Dispose"/>.
/// </summary>
internal sealed class WeightCopies : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _copies;
    private Tensor[]? _live;

    private WeightCopies(Parameter[] parameters, Tensor[] copies)
    {
        _parameters = parameters;
        _copies = copies;
    }

    public IReadOnlyList<Parameter> Parameters => _parameters;

    public IReadOnlyList<Tensor> Copies => _copies;

    /// <summary>Whether the copies are loaded into the model (between <see cref="SwapIn"/> and <see cref="SwapOut"/>).</summary>
    public bool IsSwappedIn { get; private set; }

    /// <summary>Copies of the model's current parameters.</summary>
    public static WeightCopies Of(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        Parameter[] parameters = [.. model.parameters()];
        Tensor[] copies = [.. parameters.Select(p => p.detach().clone().DetachFromDisposeScope())];
        return new WeightCopies(parameters, copies);
    }

    /// <summary>Saves the live weights and loads the copies into the model.</summary>
    public void SwapIn()
    {
        if (IsSwappedIn)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _live ??= [.. _parameters.Select(p => empty_like(p).DetachFromDisposeScope())];
        for (int i = 0; i < _parameters.Length; i++)
        {
            _live[i].copy_(_parameters[i]);
            _parameters[i].copy_(_copies[i]);
        }

        IsSwappedIn = true;
    }

    /// <summary>Puts the live weights saved by <see cref="SwapIn"/> back.</summary>
    public void SwapOut()
    {
        if (!IsSwappedIn || _live is null)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].copy_(_live[i]);
        }

        IsSwappedIn = false;
    }

    public void Dispose()
    {
        SwapOut();
        foreach (Tensor copy in _copies)
        {
            copy.Dispose();
        }

        foreach (Tensor live in _live ?? [])
        {
            live.Dispose();
        }

        _live = null;
    }
}
