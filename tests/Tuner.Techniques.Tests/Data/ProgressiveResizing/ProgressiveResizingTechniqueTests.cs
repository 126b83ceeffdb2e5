using Tuner.Core.Trials;
using Tuner.Techniques.Data.ProgressiveResizing;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data.ProgressiveResizing;

public sealed class ProgressiveResizingTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    [Fact]
    public void Apply_OverTheBudget_FeedsTheScheduledSizesAreaAveraged()
    {
        var technique = new ProgressiveResizingTechnique(new ProgressiveResizingOptions { InitialScale = 0.5, FullAt = 0.8 });
        var fractions = new List<double>();
        var fed = new List<long[]>();
        var matchesAreaAverage = new List<bool>();
        var before = new ProbeTechnique("before", TrainingEvent.AfterDataLoader, (_, s) => fractions.Add(s.BudgetFraction));
        var after = new ProbeTechnique("after", TrainingEvent.BeforeForward, (_, s) =>
        {
            fed.Add(s.Inputs!.shape);
            using var scope = NewDisposeScope();
            Tensor original = s.Train.Gather(s.EpochIndices!.narrow(0, s.BatchInEpoch * 128L, 128));
            float[] expected = DataTestSupport.Floats(nn.functional.adaptive_avg_pool2d(original, [s.Inputs.shape[2], s.Inputs.shape[3]]));
            float[] actual = DataTestSupport.Floats(s.Inputs);
            matchesAreaAverage.Add(expected.Length == actual.Length && expected.Zip(actual).All(p => Math.Abs(p.First - p.Second) < 1e-4));
        });

        // A step budget: the fraction before batch k is k / 10.
        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("fashion-cnn", CoreBudget.Steps(10), [before, technique, after]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(Enumerable.Range(0, 10).Select(k => k / 10.0), fractions.Select(f => Math.Round(f, 9)));
        long[] sides = [16, 16, 16, 20, 20, 24, 24, 28, 28, 28];
        Assert.Equal(sides.Select(side => new[] { 128L, 1, side, side }), fed);
        Assert.All(matchesAreaAverage, Assert.True);
        Assert.Contains("AfterDataLoader:progressive_resizing x7", outcome.Trace);
    }

    [Fact]
    public void Registry_ModelWithoutAdaptivePooling_IsNotApplicableBeforeTraining()
    {
        // digits-mlp has 8 x 8 images but an mlp, which cannot take smaller ones.
        string? reason = TechniqueRegistry.NotApplicable("progressive_resizing", TestSuites.Resolve("digits-mlp").Facts, "digits-mlp");

        Assert.Contains("needs a model that accepts smaller images", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("image inputs", reason, StringComparison.Ordinal);
    }
    [Fact]
    public void Registry_OnInputsThatAreNotImages_NamesBothNeeds()
    {
        string? reason = TechniqueRegistry.NotApplicable("progressive_resizing", Tuner.Core.Workloads.WorkloadFacts.None, "my-table");

        Assert.Contains("needs image inputs [channels, height, width] and a model that accepts smaller images", reason, StringComparison.Ordinal);
    }

}
