using TorchSharp.Modules;
using Tuner.Techniques.Model;
using Tuner.Techniques.Model.ChannelsLast;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using static Tuner.Techniques.Tests.Model.ModelTestSupport;

namespace Tuner.Techniques.Tests.Model.ChannelsLast;

public sealed class ChannelsLastTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Fact]
    public void Apply_Training_InputsWeightsAndConvolutionOutputsAreChannelsLast()
    {
        var inputs = new List<(long[] Shape, long[] Strides)>();
        var convOutputs = new List<bool>();
        bool weightsAtStart = false;
        bool weightsContiguousAtEnd = false;
        var removers = new List<Action>();
        ITechnique[] techniques =
        [
            new ProbeTechnique("end", TrainingEvent.FitEnd, (_, s) =>
            {
                weightsContiguousAtEnd = ModelLayers.Parametric(s.Model).OfType<Conv2d>().All(c => c.weight.is_contiguous());
                removers.ForEach(r => r());
            }),
            new ChannelsLastTechnique(),
            new ProbeTechnique("start", TrainingEvent.FitStart, (_, s) =>
            {
                Conv2d[] convs = [.. ModelLayers.Parametric(s.Model).OfType<Conv2d>()];
                weightsAtStart = convs.Length == 2 && convs.All(c => ChannelsLastMath.IsChannelsLast(c.weight));
                foreach (Conv2d conv in convs)
                {
                    var hook = conv.register_forward_hook((_, _, output) =>
                    {
                        convOutputs.Add(ChannelsLastMath.IsChannelsLast(output));
                        return output;
                    });
                    removers.Add(() => hook.remove());
                }
            }),
            new ProbeTechnique("forward", TrainingEvent.BeforeForward, (_, s) => inputs.Add((s.Inputs!.shape, s.Inputs.stride()))),
        ];

        Run(suites, "fashion-cnn", 2, techniques);

        Assert.True(weightsAtStart);
        Assert.Equal(2, inputs.Count);
        Assert.All(inputs, i => Assert.Equal(ChannelsLastMath.Strides(i.Shape), i.Strides));
        Assert.True(convOutputs.Count >= 4, $"{convOutputs.Count} convolution calls seen");
        Assert.All(convOutputs, Assert.True); // 16 and 32 channels: unambiguous NHWC activations
        Assert.True(weightsContiguousAtEnd);
    }

    [Fact]
    public void Apply_FirstBatch_OutputsAndUpdatedWeightsEqualTheNchwRun()
    {
        (float[] Outputs, float[][] Weights) RunOnce(params ITechnique[] technique)
        {
            float[] outputs = [];
            var after = new List<float[][]>();
            ITechnique[] techniques =
            [
                .. technique,
                new ProbeTechnique("outputs", TrainingEvent.AfterForward, (_, s) => outputs = Floats(s.Outputs!)),
                ParameterSnapshot("weights", TrainingEvent.BatchEnd, after),
            ];
            Run(suites, "fashion-cnn", 1, techniques);
            return (outputs, after[0]);
        }

        (float[] nchwOutputs, float[][] nchwWeights) = RunOnce();
        (float[] nhwcOutputs, float[][] nhwcWeights) = RunOnce(new ChannelsLastTechnique());

        Assert.Equal(nchwOutputs.Length, nhwcOutputs.Length);
        Assert.All(nchwOutputs.Zip(nhwcOutputs), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4, $"{p.First} vs {p.Second}"));
        for (int p = 0; p < nchwWeights.Length; p++)
        {
            Assert.All(nchwWeights[p].Zip(nhwcWeights[p]), v => Assert.True(Math.Abs(v.First - v.Second) <= 1e-5, $"parameter {p}: {v.First} vs {v.Second}"));
        }
    }
}
