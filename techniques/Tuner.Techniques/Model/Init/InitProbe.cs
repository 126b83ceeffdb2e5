using TorchSharp.Modules;
using Tuner.Training.Engine;
using Tuner.Training.Models;

namespace Tuner.Techniques.Model.Init;

/// <summary>Around the init technique's FitStart: the weights it leaves satisfy its scheme (orthogonal; zero last branch layers; Fixup's scaling and zeros).</summary>
internal sealed class InitProbe(ITechnique technique) : TechniqueProbe<InitTechnique>(technique)
{
    private float[][]? _firstWeights;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (!mine || trainingEvent != TrainingEvent.FitStart)
        {
            return;
        }

        IReadOnlyList<ResidualBlock> blocks = ModelLayers.ResidualBlocks(state.Model);
        if (point == ObservationPoint.BeforeTechnique)
        {
            _firstWeights = [.. blocks.Select(b => ProbeValues.Of(b.First.weight))];
            return;
        }

        switch (Technique.Scheme)
        {
            case InitScheme.Orthogonal:
                foreach (TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> layer in ModelLayers.Parametric(state.Model))
                {
                    double error = InitMath.OrthogonalityError(ModelLayers.Weight(layer), Technique.Gain);
                    if (!Expect(error < 1e-4, $"a weight is {error:g3} away from gain-scaled orthogonal"))
                    {
                        return;
                    }
                }

                break;
            case InitScheme.ZeroLast:
                Expect(blocks.Count > 0 && blocks.All(b => IsZero(b.Second)), "a residual branch's last layer is not zero");
                break;
            case InitScheme.Fixup:
                double scale = InitMath.FixupScale(blocks.Count, 2);
                for (int i = 0; i < blocks.Count; i++)
                {
                    float[] expected = [.. _firstWeights![i].Select(v => (float)(v * scale))];
                    Expect(ProbeValues.MaxDifference(expected, ProbeValues.Of(blocks[i].First.weight)) < 1e-6, $"branch {i + 1}'s first weight is not {scale:g4} times its initial value");
                }

                Expect(blocks.Count > 0 && blocks.All(b => IsZero(b.Second)) && IsZero(ModelLayers.Parametric(state.Model)[^1]), "a branch's last layer or the classifier is not zero");
                break;
        }

        Seen++;
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "never initialized the model";

    private static bool IsZero(TorchSharp.torch.nn.Module layer) => ModelLayers.Parameters(layer).All(p => ProbeValues.Of(p).All(v => v == 0));
}
