using TorchSharp;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data;

/// <summary>The data techniques together (they share AfterDataLoader, the loss and the epoch order), and their declared conflicts.</summary>
public sealed class DataCombinationTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    public static TheoryData<string, string[]> Combinations() => new()
    {
        { "fashion-cnn", ["augment", "progressive_resizing", "cutmix", "importance_sampling"] },
        { "fashion-cnn", ["progressive_resizing", "augment", "mixup", "label_smoothing"] },
        { "fashion-cnn", ["augment", "selective_backprop", "importance_sampling", "grad_clip"] },
        // Scoring the 60k Fashion-MNIST rows takes about a minute on one thread, so the scoring techniques combine on digits.
        { "digits-mlp", ["label_smoothing", "selective_backprop", "data_pruning", "warmup"] },
        { "digits-resmlp", ["mixup", "curriculum", "label_smoothing"] },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Run_DataTechniquesTogether_TrainFinitelyEachActsAndLeakNoTensors(string suite, string[] names)
    {
        IReadOnlyList<ITechnique> techniques = TechniqueRegistry.CreateAll(
            [.. names.Select(n => new TechniqueSpec(n, TechniqueRegistry.Find(n)!.Contract!.Options))]);
        TrainingRequest request = suites.Request(suite, CoreBudget.Steps(3), techniques);
        suites.Get(suite);

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.True(outcome.Status == TrialStatus.NotReached, $"{outcome.Status} {outcome.FailureReason}");
        Assert.Equal(3, outcome.Steps);
        Assert.True(double.IsFinite(outcome.FinalTrainLoss!.Value));
        Assert.All(names, n => Assert.Contains(outcome.Trace, t => t.Contains($":{n} x", StringComparison.Ordinal)));
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("mixup", "cutmix")]
    [InlineData("cutmix", "mixup")]
    [InlineData("selective_backprop", "mixup")]
    [InlineData("cutmix", "selective_backprop")]
    [InlineData("importance_sampling", "data_pruning")]
    [InlineData("curriculum", "importance_sampling")]
    [InlineData("data_pruning", "curriculum")]
    public void Validate_TechniquesThatReplaceTheSameThing_ConflictInEitherOrder(string first, string second)
    {
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of(first), TechniqueSpec.Of(second)]));

        OneLineAssert.Message(ex, "conflict");
        Assert.Contains(first, ex.Message, StringComparison.Ordinal);
        Assert.Contains(second, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_DataTechniques_DeclareEveryConflictInBothDirections()
    {
        foreach (TechniqueDescriptor d in TechniqueRegistry.All.Where(d => d.Category == TechniqueCategory.Data))
        {
            foreach (string other in d.Conflicts)
            {
                Assert.Contains(d.Name, TechniqueRegistry.Find(other)!.Conflicts);
            }
        }
    }
}
