using TorchSharp;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests;

/// <summary>
/// Every technique in the registry, with its contract settings, through the same short real training run; a sample of
/// random valid combinations likewise. A technique without contract settings, or without a test folder mirroring its
/// source folder, fails here.
/// </summary>
public sealed class TechniqueContractTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    public static TheoryData<string> RegisteredTechniques() => [.. TechniqueRegistry.All.Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(RegisteredTechniques))]
    public void Run_TwoBatchesWithContractSettings_TrainsFinitelyActsAndLeaksNoTensors(string name)
    {
        TechniqueDescriptor descriptor = TechniqueRegistry.Find(name)!;
        Assert.True(descriptor.Contract is not null, $"technique {name} has no contract settings (TechniqueDescriptor.Contract)");
        ITechnique technique = TechniqueRegistry.Create(new TechniqueSpec(name, descriptor.Contract!.Options));
        TrainingRequest request = suites.Request(descriptor.Contract.Suite, CoreBudget.Steps(2), [technique]);
        suites.Get(descriptor.Contract.Suite); // data loaded before the count is taken

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.True(outcome.Status == TrialStatus.NotReached, $"{name}: {outcome.Status} {outcome.FailureReason}");
        Assert.Equal(2, outcome.Steps);
        Assert.NotNull(outcome.FinalTrainLoss);
        Assert.True(double.IsFinite(outcome.FinalTrainLoss!.Value));
        Assert.Contains(outcome.Trace, t => t.Contains($":{name} x", StringComparison.Ordinal)); // it acted
        Assert.Equal(before, after);
    }

    public static TheoryData<int> CombinationSeeds() => [1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(CombinationSeeds))]
    public void Run_RandomValidCombination_TrainsFinitelyAndLeaksNoTensors(int seed)
    {
        // Combinations run on fashion-cnn (image techniques allowed) or digits-resmlp (residual techniques allowed).
        var random = new Random(seed);
        string suite = seed % 2 == 0 ? "fashion-cnn" : "digits-resmlp";
        string excluded = suite == "fashion-cnn" ? "digits-resmlp" : "fashion-cnn";
        var chosen = new List<TechniqueSpec>();
        foreach (TechniqueDescriptor d in TechniqueRegistry.All.OrderBy(_ => random.Next()))
        {
            // On fashion-cnn, curriculum and data_pruning would score all 60k images per run (about a minute on one
            // core); their mechanisms and combinations are tested on digits.
            bool tooSlowHere = suite == "fashion-cnn" && d.Name is "curriculum" or "data_pruning";
            if (d.Contract is null || d.Contract.Suite == excluded || chosen.Count >= 4 || tooSlowHere)
            {
                continue;
            }

            var candidate = new List<TechniqueSpec>(chosen) { new(d.Name, d.Contract.Options) };
            try
            {
                TechniqueRegistry.Validate(candidate);
                chosen = candidate;
            }
            catch (Tuner.Core.Errors.TunerInputException)
            {
                // conflicting pair: never proposed
            }
        }

        Assert.NotEmpty(chosen);
        IReadOnlyList<ITechnique> techniques = TechniqueRegistry.CreateAll(chosen);
        TrainingRequest request = suites.Request(suite, CoreBudget.Steps(3), techniques);
        suites.Get(suite);

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        string names = string.Join(", ", chosen);
        Assert.True(outcome.Status == TrialStatus.NotReached, $"{names}: {outcome.Status} {outcome.FailureReason}");
        Assert.True(double.IsFinite(outcome.FinalTrainLoss!.Value), names);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Run_TechniqueThatKeepsATensor_IsCaughtByTheLiveCount()
    {
        var kept = new List<TorchSharp.torch.Tensor>();
        var leaky = new ProbeTechnique("leaky", TrainingEvent.BatchEnd, (_, s) => kept.Add(s.Loss!.detach().DetachFromDisposeScope()));
        TrainingRequest request = suites.Request("digits-mlp", CoreBudget.Steps(2), [leaky]);
        suites.Get("digits-mlp");

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        BudgetedTrainer.Run(request, null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        kept.ForEach(t => t.Dispose());

        Assert.Equal(before + 2, after); // the contract test's measurement sees a leak of one tensor per batch
    }

    [Fact]
    public void Registry_EveryTechnique_HasMechanismTestsInItsMirroredFolder()
    {
        HashSet<string> testNamespaces = [.. typeof(TechniqueContractTests).Assembly.GetTypes().Select(t => t.Namespace ?? string.Empty)];
        foreach (TechniqueDescriptor d in TechniqueRegistry.All)
        {
            string expected = $"Tuner.Techniques.Tests.{(d.Category == TechniqueCategory.System ? "Systems" : d.Category.ToString())}.{d.Folder}";
            Assert.True(testNamespaces.Contains(expected), $"technique {d.Name} has no mechanism tests: expected a test class in namespace {expected}");
        }
    }

    [Fact]
    public void Registry_HasTechniquesInEveryFamily()
    {
        Assert.All(Enum.GetValues<TechniqueCategory>(), c => Assert.Contains(TechniqueRegistry.All, d => d.Category == c));
    }
}
