using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tuner.Training.Optimizers;

/// <summary>One parameter tensor's update under an optimizer TorchSharp does not have (LAMB, LARS), with its state tensors.</summary>
internal interface ITensorRule
{
    /// <summary>How many state tensors (shaped like the parameter, zero at the start) the rule keeps per parameter.</summary>
    int StateSlots { get; }

    /// <summary>Updates <paramref name="parameter"/> in place (called under no_grad); <paramref name="step"/> counts this parameter's updates from 1.</summary>
    void Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, long step, double learningRate);
}

/// <summary>
/// An optimizer that applies an <see cref="ITensorRule"/> to every parameter with a gradient. State tensors are made at a
/// parameter's first update, detached from dispose scopes, and disposed with the optimizer.
/// </summary>
internal sealed class TensorRuleOptimizer(string name, IReadOnlyList<Parameter> parameters, ITensorRule rule) : IStepOptimizer
{
    private readonly Dictionary<Parameter, (Tensor[] Tensors, long Steps)> _states = new(ReferenceEqualityComparer.Instance);

    public string Name { get; } = name;

    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (Parameter parameter in parameters)
        {
            parameter.grad?.zero_();
        }
    }

    public void TakeStep()
    {
        using DisposeScope scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (Parameter parameter in parameters)
            {
                Tensor? gradient = parameter.grad;
                if (gradient is null || !parameter.requires_grad)
                {
                    continue;
                }

                if (!_states.TryGetValue(parameter, out var state))
                {
                    state = ([.. Enumerable.Range(0, rule.StateSlots).Select(_ => zeros_like(parameter).DetachFromDisposeScope())], 0);
                }

                state.Steps++;
                _states[parameter] = state;
                rule.Update(parameter, gradient, state.Tensors, state.Steps, LearningRate);
            }
        }
    }

    public void Dispose()
    {
        foreach ((Tensor[] tensors, long _) in _states.Values)
        {
            foreach (Tensor tensor in tensors)
            {
                tensor.Dispose();
            }
        }

        _states.Clear();
    }
}
