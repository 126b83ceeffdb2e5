using Tuner.Techniques.Model;
using Tuner.Techniques.Model.LayerFreezing;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using static Tuner.Techniques.Tests.Model.ModelTestSupport;

namespace Tuner.Techniques.Tests.Model.LayerFreezing;

public sealed class LayerFreezingTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private const int Steps = 20;
    private const double T0 = 0.3;

    /// <summary>Per step: the budget fraction, each layer's weights before and after the step, and whether its parameters required gradients.</summary>
    private sealed record StepRecord(double Fraction, float[][] Before, float[][] After, bool[] RequiresGrad, bool[] HasGradient);

    private static float[][] LayerWeights(TrainingState s) => [.. ModelLayers.Parametric(s.Model).Select(l => Floats(ModelLayers.Weight(l)))];

    [Fact]
    public void Apply_Schedule_FrozenLayersStopChangingAtTheirFreezePointAndTheOthersKeepTraining()
    {
        var records = new List<StepRecord>();
        double fraction = 0;
        float[][] before = [];
        bool[] requiresGrad = [];
        bool[] hasGradient = [];
        bool allTrainableAtEnd = false;
        ITechnique[] techniques =
        [
            new ProbeTechnique("end", TrainingEvent.FitEnd, (_, s) => allTrainableAtEnd = s.Model.parameters().All(p => p.requires_grad)),
            new LayerFreezingTechnique(new LayerFreezingOptions { T0 = T0 }),
            new ProbeTechnique("before", TrainingEvent.BeforeForward, (_, s) =>
            {
                fraction = s.BudgetFraction;
                before = LayerWeights(s);
                requiresGrad = [.. ModelLayers.Parametric(s.Model).Select(l => ModelLayers.Weight(l).requires_grad)];
            }),
            new ProbeTechnique("grads", TrainingEvent.BeforeOptimizerStep, (_, s) =>
                hasGradient = [.. ModelLayers.Parametric(s.Model).Select(l => ModelLayers.Weight(l).grad is not null)]),
            new ProbeTechnique("after", TrainingEvent.BatchEnd, (_, s) => records.Add(new StepRecord(fraction, before, LayerWeights(s), requiresGrad, hasGradient))),
        ];

        Run(suites, "digits-resmlp", Steps, techniques); // stem, 3 blocks of 2 layers, head: 7 freezable layers, SGD with momentum 0.9

        IReadOnlyList<double> freezeAt = LayerFreezingMath.FreezeFractions(7, T0, cubic: false);
        Assert.Equal(Steps, records.Count);
        for (int step = 0; step < Steps; step++)
        {
            StepRecord r = records[step];
            Assert.Equal(8, r.Before.Length);
            for (int layer = 0; layer < 8; layer++)
            {
                bool frozen = layer < 7 && freezeAt[layer] <= r.Fraction;
                bool changed = !r.Before[layer].SequenceEqual(r.After[layer]);
                Assert.True(changed != frozen, $"step {step} (fraction {r.Fraction}), layer {layer}: frozen {frozen}, changed {changed}");
                Assert.Equal(!frozen, r.RequiresGrad[layer]);
                Assert.Equal(!frozen, r.HasGradient[layer]);
            }
        }

        Assert.True(records[5].Before[0].SequenceEqual(records[5].After[0]) is false); // the stem trains through step 5
        Assert.True(records[6].Before[0].SequenceEqual(records[6].After[0])); // and is frozen from step 6 (fraction 0.3)
        Assert.True(allTrainableAtEnd);
    }

    [Fact]
    public void Apply_AfterFreezing_FrozenWeightsEqualTheirValueAtTheFreezePoint()
    {
        var atFreeze = new List<float[][]>();
        var end = new List<float[][]>();
        ITechnique[] techniques =
        [
            new LayerFreezingTechnique(new LayerFreezingOptions { T0 = 0.5 }),
            new ProbeTechnique("freeze", (e, s) => e == TrainingEvent.BeforeForward && s.Step == Steps / 2, (_, s) => atFreeze.Add(LayerWeights(s))),
            new ProbeTechnique("end", TrainingEvent.BatchEnd, (_, s) =>
            {
                if (s.Step == Steps)
                {
                    end.Add(LayerWeights(s));
                }
            }),
        ];

        Run(suites, "digits-mlp", Steps, techniques); // fc1 (freezes at 0.5) and the head

        Assert.Equal(atFreeze[0][0], end[0][0]);
        Assert.NotEqual(atFreeze[0][1], end[0][1]);
    }
}
