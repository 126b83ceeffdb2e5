using Tuner.Training.Engine;
using Tuner.Training.Models;

namespace Tuner.Techniques.Model.StochasticDepth;

/// <summary>When the training forward pass starts some residual branches are skipped (over the run, not all and not none); none is skipped after it; at evaluation branch l is scaled by p_l.</summary>
internal sealed class StochasticDepthProbe(ITechnique technique) : TechniqueProbe<StochasticDepthTechnique>(technique)
{
    private long _skipped;
    private long _kept;
    private int _evaluations;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        IReadOnlyList<ResidualBlock> blocks = ModelLayers.ResidualBlocks(state.Model);
        if (trainingEvent == TrainingEvent.BeforeForward && point == ObservationPoint.EventEnd)
        {
            _skipped += blocks.Count(b => b.Skip);
            _kept += blocks.Count(b => !b.Skip);
        }
        else if (trainingEvent == TrainingEvent.AfterForward && point == ObservationPoint.EventEnd)
        {
            Expect(blocks.All(b => !b.Skip), "a residual branch is still skipped after the training forward pass");
        }
        else if (trainingEvent == TrainingEvent.EvalStart && point == ObservationPoint.EventEnd)
        {
            IReadOnlyList<double> survival = Technique.Survival;
            Expect(blocks.Count == survival.Count && blocks.Select((b, i) => Math.Abs(b.ResidualScale - survival[i])).All(d => d < 1e-12), "evaluation does not scale branch l by p_l");
            _evaluations++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) =>
        _skipped == 0 ? "no residual branch was skipped" : _kept == 0 ? "every residual branch was skipped" : _evaluations == 0 ? "no evaluation" : null;
}
