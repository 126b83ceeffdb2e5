using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Training.Engine;
using Tuner.Training.Models;

namespace Tuner.Techniques.Model.StochasticDepth;

/// <summary>
/// Drops whole residual branches during training: at BeforeForward each <see cref="ResidualBlock"/> l is skipped (returns its
/// input) with probability 1 - p_l, drawn from the run's seeded random source; AfterForward clears the skips. For evaluation
/// each branch is scaled by p_l (its expected contribution) at EvalStart and restored at EvalEnd. A model without residual
/// blocks fails the run at FitStart.
/// </summary>
public sealed class StochasticDepthTechnique(double lastSurvival) : ITechnique
{
    public const string TechniqueName = "stochastic_depth";
    private IReadOnlyList<ResidualBlock> _blocks = [];
    private IReadOnlyList<double> _survival = [];
    private double[] _savedScales = [];

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Model,
        Folder = "StochasticDepth",
        Summary = "Drops each residual block during training with probability 1 - p_l (p_l decaying linearly with depth to p_L) and scales branches by p_l at evaluation (needs residual blocks).",
        Paper = "Huang, Sun, Liu, Sedra and Weinberger, Deep Networks with Stochastic Depth, ECCV 2016",
        Options = [OptionSpec.Number("p_last", 0.5, 0.05, 1, "survival probability of the last block")],
        Requires = WorkloadFacts.ResidualBlocks,
        Order = 240,
        Create = o => new StochasticDepthTechnique(o.Number("p_last")),
        ProbeSummary = "training forward passes skip some residual branches (none stay skipped after them), and evaluation scales branch l by p_l",
        Probe = t => new StochasticDepthProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Model;

    /// <summary>p_L, the survival probability of the last block.</summary>
    public double LastSurvival { get; } = lastSurvival;

    /// <summary>The survival probability of each block, in forward order (known from FitStart).</summary>
    public IReadOnlyList<double> Survival => _survival;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent is
        TrainingEvent.FitStart or TrainingEvent.BeforeForward or TrainingEvent.AfterForward or TrainingEvent.EvalStart or TrainingEvent.EvalEnd;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                _blocks = ModelLayers.ResidualBlocks(state.Model);
                if (_blocks.Count == 0)
                {
                    throw new InvalidOperationException($"{TechniqueName} drops residual blocks, but this model has none: use a resmlp model");
                }

                _survival = StochasticDepthMath.SurvivalProbabilities(_blocks.Count, LastSurvival);
                break;
            case TrainingEvent.BeforeForward:
                for (int i = 0; i < _blocks.Count; i++)
                {
                    _blocks[i].Skip = StochasticDepthMath.Drops(state.Random.NextDouble(), _survival[i]);
                }

                break;
            case TrainingEvent.AfterForward:
                foreach (ResidualBlock block in _blocks)
                {
                    block.Skip = false;
                }

                break;
            case TrainingEvent.EvalStart:
                _savedScales = [.. _blocks.Select(b => b.ResidualScale)];
                for (int i = 0; i < _blocks.Count; i++)
                {
                    _blocks[i].ResidualScale = _savedScales[i] * _survival[i];
                }

                break;
            case TrainingEvent.EvalEnd:
                for (int i = 0; i < _blocks.Count && i < _savedScales.Length; i++)
                {
                    _blocks[i].ResidualScale = _savedScales[i];
                }

                break;
        }
    }
}
