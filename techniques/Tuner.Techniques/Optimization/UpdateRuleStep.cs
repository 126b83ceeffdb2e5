using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Optimization;

/// <summary>One parameter tensor's update under a replaced optimizer rule, with the rule's own state tensors.</summary>
internal interface IUpdateRule
{
    /// <summary>How many state tensors (shaped like the parameter, zero at the start) the rule keeps per parameter.</summary>
    int StateSlots { get; }

    /// <summary>
    /// Updates <paramref name="parameter"/> in place (called under no_grad) from its gradient and its state tensors;
    /// <paramref name="step"/> counts this parameter's updates from 1.
    /// </summary>
    void Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, long step, double learningRate);
}

/// <summary>
/// The mechanics shared by the techniques that replace the optimizer's update rule (nesterov, adam, adamw, lamb, lars).
/// <list type="bullet">
/// <item>At BeforeOptimizerStep it applies the rule to every parameter that has a gradient, with the learning rate in
/// effect at that point (schedules set it at AfterDataLoader; techniques that rescale it at BeforeOptimizerStep, such
/// as warmup, must be listed before the optimizer technique, and so must techniques that replace the gradients there,
/// such as sam).</item>
/// <item>It then sets SkipStep, so the engine's own optimizer does not step this batch.</item>
/// <item>State tensors are created at a parameter's first update (so techniques may change the model at FitStart),
/// detached from the batch's dispose scope, and disposed at FitEnd.</item>
/// </list>
/// </summary>
internal sealed class UpdateRuleStep(IUpdateRule rule)
{
    private readonly Dictionary<string, ParameterState> _states = new(StringComparer.Ordinal);

    public bool Matches(TrainingEvent trainingEvent) => trainingEvent switch
    {
        TrainingEvent.BeforeOptimizerStep => true,
        TrainingEvent.FitStart or TrainingEvent.FitEnd => _states.Count > 0,
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.BeforeOptimizerStep:
                Step(state);
                break;
            case TrainingEvent.FitStart:
            case TrainingEvent.FitEnd:
                Release();
                break;
        }
    }

    private void Step(TrainingState state)
    {
        double learningRate = state.CurrentLearningRate;
        using (no_grad())
        {
            foreach ((string name, TorchSharp.Modules.Parameter parameter) in state.Model.named_parameters())
            {
                Tensor? gradient = parameter.grad;
                if (gradient is null)
                {
                    continue;
                }

                if (!_states.TryGetValue(name, out ParameterState? parameterState))
                {
                    parameterState = new ParameterState([.. Enumerable.Range(0, rule.StateSlots).Select(_ => zeros_like(parameter).DetachFromDisposeScope())]);
                    _states[name] = parameterState;
                }

                parameterState.Steps++;
                rule.Update(parameter, gradient, parameterState.Tensors, parameterState.Steps, learningRate);
            }
        }

        state.SkipStep = true;
    }

    private void Release()
    {
        foreach (ParameterState parameterState in _states.Values)
        {
            foreach (Tensor tensor in parameterState.Tensors)
            {
                tensor.Dispose();
            }
        }

        _states.Clear();
    }

    private sealed class ParameterState(Tensor[] tensors)
    {
        public Tensor[] Tensors { get; } = tensors;

        public long Steps { get; set; }
    }
}
