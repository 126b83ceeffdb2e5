using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Techniques.Model.StochasticDepth;
using Tuner.Training.Engine;
using Tuner.Training.Models;

namespace Tuner.Techniques.Model.LayerDrop;

/// <summary>
/// Progressive layer dropping (Zhang and He, NeurIPS 2020) on a Transformer: at each training forward pass block l of L
/// is kept with probability p_l(t) = 1 - (l / L)(1 - theta(t)), theta(t) = (1 - theta_bar) exp(-gamma t) + theta_bar with
/// t the optimizer step (the paper's and DeepSpeed's defaults theta_bar 0.5, gamma 0.001): no dropping at the start,
/// deeper blocks dropped more, the expected kept depth falling towards (1 + theta_bar) / 2 of the model. A dropped block is
/// the identity (its forward and backward are skipped: the saving); a kept block's residual branches are scaled by 1/p_l
/// (inverted scaling, so evaluation runs the whole model unscaled). The paper's blocks are pre-LayerNorm, as ours are.
/// The depth rule and the draw are stochastic depth's (<see cref="StochasticDepthMath"/>) with p_L = theta(t).
/// </summary>
public sealed class LayerDropTechnique(double thetaBar, double gamma) : ITechnique
{
    public const string TechniqueName = "layer_drop";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Model,
        Folder = "LayerDrop",
        Summary = "Progressive layer dropping: each training step skips Transformer block l of L with probability (l/L)(1 - theta(t)), theta falling from 1 to theta_bar as exp(-gamma step); kept blocks' branches scaled by 1/p, evaluation runs every block.",
        Paper = "Zhang and He, Accelerating Training of Transformer-Based Language Models with Progressive Layer Dropping, NeurIPS 2020",
        Options =
        [
            OptionSpec.Number("theta_bar", 0.5, 0.05, 1, "limit of the keep probability of the last block"),
            OptionSpec.Number("gamma", 0.001, 0, 1, "decay rate of theta per optimizer step"),
        ],
        Requires = WorkloadFacts.TokenSequences,
        Order = 241,
        Create = o => new LayerDropTechnique(o.Number("theta_bar"), o.Number("gamma")),
        ProbeSummary = "training forward passes skip some blocks (never all of them over the run) with the kept ones scaled by 1/p_l(t), nothing stays skipped or scaled after the pass, and evaluation runs every block",
        Probe = t => new LayerDropProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["gamma"] = "0.05" },
    };

    private IReadOnlyList<TransformerBlock> _blocks = [];

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Model;

    public double ThetaBar { get; } = thetaBar;

    public double Gamma { get; } = gamma;

    /// <summary>The Transformer blocks (known from FitStart).</summary>
    public IReadOnlyList<TransformerBlock> Blocks => _blocks;

    /// <summary>theta(t) = (1 - theta_bar) exp(-gamma t) + theta_bar.</summary>
    public double Theta(long step) => ((1 - ThetaBar) * Math.Exp(-Gamma * step)) + ThetaBar;

    /// <summary>The keep probability of block <paramref name="block"/> (1-based) of <paramref name="blocks"/> at optimizer step <paramref name="step"/>.</summary>
    public double KeepProbability(int block, int blocks, long step) => StochasticDepthMath.SurvivalProbability(block, blocks, Theta(step));

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent is
        TrainingEvent.FitStart or TrainingEvent.BeforeForward or TrainingEvent.AfterForward;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (trainingEvent)
        {
            case TrainingEvent.FitStart:
                _blocks = ModelLayers.TransformerBlocks(state.Model);
                if (_blocks.Count == 0)
                {
                    throw new InvalidOperationException($"{TechniqueName} drops Transformer blocks, but this model has none: use a transformer or encoder model");
                }

                break;
            case TrainingEvent.BeforeForward:
                for (int i = 0; i < _blocks.Count; i++)
                {
                    double keep = KeepProbability(i + 1, _blocks.Count, state.OptimizerSteps);
                    _blocks[i].Skip = StochasticDepthMath.Drops(state.Random.NextDouble(), keep);
                    _blocks[i].BranchScale = _blocks[i].Skip ? 1 : 1 / keep;
                }

                break;
            case TrainingEvent.AfterForward:
                foreach (TransformerBlock block in _blocks)
                {
                    block.Skip = false;
                    block.BranchScale = 1;
                }

                break;
        }
    }
}

/// <summary>Watches the blocks' skip flags and branch scales around the training forward pass and at evaluation.</summary>
internal sealed class LayerDropProbe(ITechnique technique) : TechniqueProbe<LayerDropTechnique>(technique)
{
    private long _skipped;
    private long _kept;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        IReadOnlyList<TransformerBlock> blocks = Technique.Blocks;
        switch (trainingEvent, point)
        {
            case (TrainingEvent.BeforeForward, ObservationPoint.EventEnd):
                for (int i = 0; i < blocks.Count; i++)
                {
                    if (blocks[i].Skip)
                    {
                        _skipped++;
                        continue;
                    }

                    _kept++;
                    double keep = Technique.KeepProbability(i + 1, blocks.Count, state.OptimizerSteps);
                    Expect(Math.Abs((blocks[i].BranchScale * keep) - 1) < 1e-9, $"kept block {i + 1} is scaled by {blocks[i].BranchScale:0.####}, not 1/p = {1 / keep:0.####}");
                }

                break;
            case (TrainingEvent.AfterForward, ObservationPoint.EventEnd):
                Expect(blocks.All(b => !b.Skip && b.BranchScale == 1), "a block is still skipped or scaled after the training forward pass");
                break;
            case (TrainingEvent.EvalStart, ObservationPoint.EventEnd):
                Expect(blocks.All(b => !b.Skip && b.BranchScale == 1), "evaluation does not run every block unscaled");
                Seen++;
                break;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) =>
        _skipped == 0 ? "no block was dropped" : _kept == 0 ? "every block was dropped" : Seen == 0 ? "no evaluation" : null;
}
