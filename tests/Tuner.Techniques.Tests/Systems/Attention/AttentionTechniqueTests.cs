using Tuner.Core.Trials;
using Tuner.Techniques.Systems.Attention;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Systems.Attention;

public sealed class AttentionTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Forward_ExplicitAndFused_AgreeOnTheSameWeights(bool causal)
    {
        manual_seed(3);
        var shape = new TransformerShape(Vocabulary: 50, Context: 16, Width: 32, Layers: 2, Heads: 4);
        nn.Module<Tensor, Tensor> fused = causal ? new CausalTransformer(shape) : new TransformerClassifier(shape, 3);
        nn.Module<Tensor, Tensor> written = causal ? new CausalTransformer(shape, explicitAttention: true) : new TransformerClassifier(shape, 3, explicitAttention: true);
        written.load_state_dict(fused.state_dict());
        using Tensor ids = randint(0, 50, [4, 16]);

        using Tensor a = fused.call(ids);
        using Tensor b = written.call(ids);

        Assert.True(a.allclose(b, rtol: 1e-4, atol: 1e-5), $"max difference {(a - b).abs().max().item<float>()}");
    }

    [Fact]
    public void Transform_SetsTheImplementationAndRemembersTheSuites()
    {
        var technique = new AttentionTechnique(fused: false);
        ModelSpec spec = technique.Transform(new ModelSpec("transformer", [], []));

        Assert.Equal("explicit", spec.Attention);
        Assert.Equal("fused", technique.SuiteAttention);
        Assert.Contains("explicit attention", spec.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ExplicitAttention_TrainsAsFarAsTheFusedKernelInTheSameSteps()
    {
        // Same seed, same batches: the two implementations compute the same function, so the curves agree closely.
        TrainingOutcome fused = BudgetedTrainer.Run(suites.Request("tiny-lm", CoreBudget.Steps(30), []), null, CancellationToken.None);
        TrainingOutcome written = BudgetedTrainer.Run(suites.Request("tiny-lm", CoreBudget.Steps(30), [new AttentionTechnique(fused: false)]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, written.Status);
        Assert.Equal(fused.Curve.Count, written.Curve.Count);
        Assert.All(fused.Curve.Zip(written.Curve), p => Assert.Equal(p.First.Metric, p.Second.Metric, 0.02));
    }
}
