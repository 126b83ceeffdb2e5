using Tuner.Techniques.Model;
using Tuner.Techniques.Model.StochasticDepth;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using static TorchSharp.torch;
using static Tuner.Techniques.Tests.Model.ModelTestSupport;

namespace Tuner.Techniques.Tests.Model.StochasticDepth;

public sealed class StochasticDepthTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Fact]
    public void Apply_ManyBatches_EachBlockIsDroppedAtRateOneMinusItsSurvivalProbability()
    {
        const int steps = 600;
        var technique = new StochasticDepthTechnique(0.5);
        var skips = new List<bool[]>();
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeForward, (_, s) => skips.Add([.. ModelLayers.ResidualBlocks(s.Model).Select(b => b.Skip)]));

        Run(suites, "digits-resmlp", steps, technique, probe);

        Assert.Equal(steps, skips.Count);
        double[] survival = [.. StochasticDepthMath.SurvivalProbabilities(3, 0.5)];
        Assert.Equal(survival, technique.Survival);
        for (int block = 0; block < 3; block++)
        {
            double dropRate = skips.Count(s => s[block]) / (double)steps;
            Assert.InRange(dropRate, 1 - survival[block] - 0.06, 1 - survival[block] + 0.06); // about 3 standard deviations
        }
    }

    [Fact]
    public void Apply_DroppedBlock_ReturnsItsInputAndAKeptBlockDoesNot()
    {
        var calls = new List<(bool Skip, bool Training, bool ReturnedInput)>();
        var removers = new List<Action>();
        bool cleared = true;
        ITechnique[] techniques =
        [
            new ProbeTechnique("remove", TrainingEvent.FitEnd, (_, _) => removers.ForEach(r => r())),
            new StochasticDepthTechnique(0.5),
            new ProbeTechnique("hooks", TrainingEvent.FitStart, (_, s) =>
            {
                foreach (ResidualBlock block in ModelLayers.ResidualBlocks(s.Model))
                {
                    var hook = block.register_forward_hook((_, input, output) =>
                    {
                        using var scope = NewDisposeScope();
                        calls.Add((block.Skip, block.training, output.eq(input).all().item<bool>()));
                        return output;
                    });
                    removers.Add(() => hook.remove());
                }
            }),
            new ProbeTechnique("loss", TrainingEvent.BeforeLoss, (_, s) => cleared &= ModelLayers.ResidualBlocks(s.Model).All(b => !b.Skip)),
        ];

        Run(suites, "digits-resmlp", 40, techniques);

        List<(bool Skip, bool Training, bool ReturnedInput)> training = [.. calls.Where(c => c.Training)];
        Assert.Equal(40 * 3, training.Count);
        Assert.Contains(training, c => c.Skip);
        Assert.Contains(training, c => !c.Skip);
        Assert.All(training, c => Assert.Equal(c.Skip, c.ReturnedInput));
        Assert.True(cleared, "the skips are cleared after the forward pass");
        Assert.All(calls.Where(c => !c.Training), c => Assert.False(c.Skip));
    }

    [Fact]
    public void Apply_Evaluation_ScalesEachBranchByItsSurvivalProbabilityAndRestoresIt()
    {
        var atEvalStart = new List<double[]>();
        var afterEval = new List<double[]>();
        ITechnique[] techniques =
        [
            new ProbeTechnique("after", TrainingEvent.EvalEnd, (_, s) => afterEval.Add([.. ModelLayers.ResidualBlocks(s.Model).Select(b => b.ResidualScale)])),
            new StochasticDepthTechnique(0.2),
            new ProbeTechnique("during", TrainingEvent.EvalStart, (_, s) => atEvalStart.Add([.. ModelLayers.ResidualBlocks(s.Model).Select(b => b.ResidualScale)])),
        ];

        Run(suites, "digits-resmlp", 20, techniques); // validates every 10 steps, then tests once at the end

        Assert.Equal(3, atEvalStart.Count);
        double[] survival = [1 - (0.8 / 3), 1 - (1.6 / 3), 0.2];
        Assert.All(atEvalStart, scales => Assert.Equal(survival, scales, (a, b) => Math.Abs(a - b) < 1e-12));
        Assert.All(afterEval, scales => Assert.All(scales, v => Assert.Equal(1.0, v)));
    }

    [Fact]
    public void Apply_ModelWithoutResidualBlocks_FailsAtFitStartSayingWhy()
    {
        string reason = RunExpectingFailure(suites, "digits-mlp", new StochasticDepthTechnique(0.5));

        Assert.Contains("InvalidOperationException", reason, StringComparison.Ordinal);
        Assert.Contains("stochastic_depth", reason, StringComparison.Ordinal);
    }
}
