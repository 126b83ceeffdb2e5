using Tuner.Core.Trials;
using Tuner.Techniques.Data.MixUp;
using Tuner.Techniques.Optimization.LabelSmoothing;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.LabelSmoothing;

public sealed class LabelSmoothingTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private const double Alpha = 0.3;

    [Fact]
    public void Run_TheBatchLoss_IsCrossEntropyAgainstSmoothedTargets()
    {
        var seen = new List<(double Loss, double Smoothed, double Plain)>();
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeBackward, (_, s) =>
        {
            using var scope = NewDisposeScope();
            seen.Add((s.Loss!.item<float>(), LabelSmoothingMath.Loss(s.Outputs!, s.Targets!, Alpha).item<float>(), nn.functional.cross_entropy(s.Outputs!, s.Targets!).item<float>()));
        });

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(3), techniques: [new LabelSmoothingTechnique(Alpha), probe]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(3, seen.Count);
        Assert.All(seen, o =>
        {
            Assert.True(Math.Abs(o.Smoothed - o.Loss) < 1e-5, $"loss {o.Loss} vs smoothed cross-entropy {o.Smoothed}");
            Assert.True(Math.Abs(o.Loss - o.Plain) > 1e-4, $"smoothed {o.Loss} vs plain {o.Plain} should differ");
        });
        Assert.Contains("Loss:label_smoothing x3", outcome.Trace);
    }

    [Theory]
    [InlineData("label_smoothing", "mixup")]
    [InlineData("mixup", "label_smoothing")]
    public void Run_WithMixup_InEitherListingOrder_TrainsAgainstSmoothedMixedTargets(string first, string second)
    {
        string[] listed = [first, second];
        // The gradient of mean cross-entropy against targets t with respect to the logits is (softmax - t) / B, so the
        // targets the loss trained toward are softmax - B * grad: they must be the smoothed mix of both labels.
        var worst = new List<double>();
        MixUpTechnique? mixup = null;
        var keep = new ProbeTechnique("keep", TrainingEvent.AfterForward, (_, s) => s.Outputs!.retain_grad());
        var check = new ProbeTechnique("check", TrainingEvent.AfterBackward, (_, s) =>
        {
            using var scope = NewDisposeScope();
            Tensor logits = s.Outputs!.detach();
            long batch = logits.shape[0], classes = logits.shape[1];
            Tensor trained = nn.functional.softmax(logits, 1).sub(s.Outputs.grad!.mul(batch));
            Tensor Smooth(Tensor labels) => nn.functional.one_hot(labels, classes).to_type(ScalarType.Float32).mul(1 - Alpha).add(Alpha / classes);
            Tensor expected = mixup!.Permutation is { } p
                ? Smooth(s.Targets!).mul(mixup.Lambda).add(Smooth(s.Targets!.index_select(0, p)), 1 - mixup.Lambda)
                : Smooth(s.Targets!);
            worst.Add(trained.sub(expected).abs().max().item<float>());
        });
        IReadOnlyList<ITechnique> techniques = TechniqueRegistry.CreateAll([.. listed.Select(n => TechniqueRegistry.Parse(n == "label_smoothing" ? $"label_smoothing:alpha={Alpha}" : "mixup:alpha=1"))]);
        mixup = techniques.OfType<MixUpTechnique>().Single();

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(5), techniques: [.. techniques, keep, check]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(5, worst.Count);
        Assert.All(worst, w => Assert.True(w < 1e-5, $"trained targets differ from the smoothed mixed targets by {w}"));
    }
}
