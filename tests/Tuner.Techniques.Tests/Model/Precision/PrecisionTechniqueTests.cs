using TorchSharp.Modules;
using Tuner.Techniques.Model;
using Tuner.Techniques.Model.Precision;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using static Tuner.Techniques.Tests.Model.ModelTestSupport;

namespace Tuner.Techniques.Tests.Model.Precision;

public sealed class PrecisionTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private sealed record Forward(ScalarType OutputType, float[] Outputs, float[] Bfloat16ByHand, float[] Float32ByHand);

    [Fact]
    public void Apply_TrainingForward_OutputsAreTheBfloat16ComputationOnTheFloat32Weights()
    {
        var seen = new List<Forward>();
        // Listed after precision: at AfterForward (reverse order) it runs before precision casts the outputs back.
        var probe = new ProbeTechnique("probe", TrainingEvent.AfterForward, (_, s) =>
        {
            using var scope = NewDisposeScope();
            var fc1 = (Linear)ModelLayers.Parametric(s.Model)[0];
            var head = (Linear)ModelLayers.Parametric(s.Model)[1];
            Assert.Equal(ScalarType.Float32, fc1.weight.dtype);
            using (no_grad())
            {
                const ScalarType bf16 = ScalarType.BFloat16;
                Tensor x = s.Inputs!.flatten(1);
                Tensor byHand = nn.functional.linear(
                    nn.functional.relu(nn.functional.linear(x.to(bf16), fc1.weight.to(bf16), fc1.bias!.to(bf16))), head.weight.to(bf16), head.bias!.to(bf16));
                Tensor x32 = x.to(ScalarType.Float32);
                Tensor fp32 = nn.functional.linear(nn.functional.relu(nn.functional.linear(x32, fc1.weight, fc1.bias)), head.weight, head.bias);
                seen.Add(new Forward(s.Outputs!.dtype, Floats(s.Outputs), Floats(byHand), Floats(fp32)));
            }
        });

        Run(suites, "digits-mlp", 3, new PrecisionTechnique(), probe);

        Assert.Equal(3, seen.Count);
        foreach (Forward f in seen)
        {
            Assert.Equal(ScalarType.BFloat16, f.OutputType);
            Assert.Equal(f.Bfloat16ByHand.Length, f.Outputs.Length);
            for (int i = 0; i < f.Outputs.Length; i++)
            {
                Assert.True(Math.Abs(f.Outputs[i] - f.Bfloat16ByHand[i]) <= 1e-6 * (1 + Math.Abs(f.Bfloat16ByHand[i])), $"output {i}: {f.Outputs[i]} vs {f.Bfloat16ByHand[i]}");
            }

            Assert.Contains(Enumerable.Range(0, f.Outputs.Length), i => Math.Abs(f.Outputs[i] - f.Float32ByHand[i]) > 1e-3); // not an fp32 forward
        }
    }

    [Fact]
    public void Apply_Run_LossSeesFloat32OutputsAndTheOptimizerFloat32WeightsAndGradients()
    {
        var lossInputTypes = new List<ScalarType>();
        var parameterTypes = new List<ScalarType>();
        var gradientTypes = new List<ScalarType?>();
        var start = new List<float[][]>();
        var end = new List<float[][]>();
        ITechnique[] techniques =
        [
            ParameterSnapshot("end", TrainingEvent.FitEnd, end), // FitEnd runs in reverse: this sees the model after precision's FitEnd
            new PrecisionTechnique(),
            ParameterSnapshot("start", TrainingEvent.FitStart, start),
            new ProbeTechnique("loss", TrainingEvent.BeforeLoss, (_, s) => lossInputTypes.Add(s.Outputs!.dtype)),
            new ProbeTechnique("step", TrainingEvent.BeforeOptimizerStep, (_, s) =>
            {
                parameterTypes.AddRange(s.Model.parameters().Select(p => p.dtype));
                gradientTypes.AddRange(s.Model.parameters().Select(p => p.grad?.dtype));
            }),
        ];

        TrainingOutcome outcome = Run(suites, "fashion-cnn", 3, techniques);

        Assert.True(double.IsFinite(outcome.FinalTrainLoss!.Value));
        Assert.Equal([ScalarType.Float32, ScalarType.Float32, ScalarType.Float32], lossInputTypes);
        Assert.Equal(3 * 8, parameterTypes.Count); // 2 conv + 2 linear layers, weight and bias each, 3 steps
        Assert.All(parameterTypes, t => Assert.Equal(ScalarType.Float32, t));
        Assert.All(gradientTypes, t => Assert.Equal(ScalarType.Float32, t));
        for (int p = 0; p < start[0].Length; p++)
        {
            Assert.NotEqual(start[0][p], end[0][p]); // every parameter trained
        }
    }

    [Fact]
    public void Apply_OutsideTheTrainingForwardPass_TheModelComputesInFloat32()
    {
        var outside = new List<(TrainingEvent Event, ScalarType Type)>();
        void Call(TrainingEvent e, TrainingState s)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            outside.Add((e, s.Model.call(s.Eval.Slice(0, 4)).dtype));
        }

        ITechnique[] techniques =
        [
            new ProbeTechnique("after-fit", TrainingEvent.FitEnd, Call), // runs after precision's FitEnd
            new PrecisionTechnique(),
            new ProbeTechnique("between", (e, _) => e is TrainingEvent.BatchEnd or TrainingEvent.EvalStart, Call),
        ];

        Run(suites, "fashion-cnn", 2, techniques);

        Assert.Contains(outside, o => o.Event == TrainingEvent.EvalStart);
        Assert.Contains(outside, o => o.Event == TrainingEvent.BatchEnd);
        Assert.Contains(outside, o => o.Event == TrainingEvent.FitEnd);
        Assert.All(outside, o => Assert.Equal(ScalarType.Float32, o.Type));
    }

    [Fact]
    public void Apply_Cnn_ConvolutionsComputeInFloat32AndFullyConnectedLayersInBfloat16()
    {
        var types = new List<(string Layer, ScalarType Type)>();
        var removers = new List<Action>();
        ITechnique[] techniques =
        [
            new ProbeTechnique("remove", TrainingEvent.FitEnd, (_, _) => removers.ForEach(r => r())),
            new PrecisionTechnique(),
            new ProbeTechnique("hooks", TrainingEvent.FitStart, (_, s) =>
            {
                foreach (nn.Module<Tensor, Tensor> layer in ModelLayers.Parametric(s.Model))
                {
                    string kind = layer.GetType().Name;
                    var hook = layer.register_forward_hook((_, _, output) =>
                    {
                        if (layer.training)
                        {
                            types.Add((kind, output.dtype));
                        }

                        return output;
                    });
                    removers.Add(() => hook.remove());
                }
            }),
        ];

        Run(suites, "fashion-cnn", 1, techniques);

        // Forward hooks run in registration order: these see what precision's hooks made of each layer's result.
        Assert.Equal(2, types.Count(t => t.Layer == nameof(Conv2d)));
        Assert.All(types.Where(t => t.Layer == nameof(Conv2d)), t => Assert.Equal(ScalarType.Float32, t.Type));
        Assert.Equal(2, types.Count(t => t.Layer == nameof(Linear)));
        Assert.All(types.Where(t => t.Layer == nameof(Linear)), t => Assert.Equal(ScalarType.BFloat16, t.Type));
    }
}
