using TorchSharp;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests;

/// <summary>Every technique in the registry, with default options, through the same short real training run.</summary>
public sealed class TechniqueContractTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    /// <summary>The techniques whose mechanism is tested in this project (one folder each). A new technique must be added here with its tests.</summary>
    private static readonly string[] MechanismTested = ["label_smoothing", "warmup", "grad_clip", "budget_linear_decay"];

    public static TheoryData<string> RegisteredTechniques() => [.. TechniqueRegistry.All.Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(RegisteredTechniques))]
    public void Run_TwoBatchesWithDefaults_TrainsFinitelyActsAndLeaksNoTensors(string name)
    {
        ITechnique technique = TechniqueRegistry.Create(TechniqueSpec.Of(name));
        TrainingRequest request = digits.Request(CoreBudget.Steps(2), techniques: technique);

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.NotEqual(TrialStatus.Failed, outcome.Status);
        Assert.NotEqual(TrialStatus.Diverged, outcome.Status);
        Assert.Null(outcome.FailureReason);
        Assert.Equal(2, outcome.Steps);
        Assert.NotNull(outcome.FinalTrainLoss);
        Assert.True(double.IsFinite(outcome.FinalTrainLoss!.Value));
        Assert.Contains(outcome.Trace, t => t.Contains($":{name} x", StringComparison.Ordinal)); // it acted
        Assert.Equal(before, after);
    }

    [Fact]
    public void Run_AllTechniquesTogether_TrainsFinitelyAndLeaksNoTensors()
    {
        IReadOnlyList<ITechnique> all = TechniqueRegistry.CreateAll([.. TechniqueRegistry.All.Select(d => TechniqueSpec.Of(d.Name))]);
        TrainingRequest request = digits.Request(CoreBudget.Steps(3), techniques: [.. all]);

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.True(double.IsFinite(outcome.FinalTrainLoss!.Value));
        Assert.Equal(before, after);
    }

    [Fact]
    public void Run_TechniqueThatKeepsATensor_IsCaughtByTheLiveCount()
    {
        var kept = new List<TorchSharp.torch.Tensor>();
        var leaky = new ProbeTechnique("leaky", TrainingEvent.BatchEnd, (_, s) => kept.Add(s.Loss!.detach().DetachFromDisposeScope()));
        TrainingRequest request = digits.Request(CoreBudget.Steps(2), techniques: leaky);

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        BudgetedTrainer.Run(request, null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        kept.ForEach(t => t.Dispose());

        Assert.Equal(before + 2, after); // the contract test's measurement sees a leak of one tensor per batch
    }

    [Fact]
    public void Registry_EveryTechnique_HasMechanismTests()
    {
        Assert.Equal(MechanismTested.Order(StringComparer.Ordinal), TechniqueRegistry.All.Select(d => d.Name).Order(StringComparer.Ordinal));
    }
}
