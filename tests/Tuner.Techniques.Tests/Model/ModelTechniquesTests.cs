using TorchSharp;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Techniques.Model;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Model;

public sealed class ModelTechniquesTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    public static TheoryData<string, string[]> Combinations() => new()
    {
        { "fashion-cnn", ["model_scaling", "init_orthogonal", "channels_last", "precision", "layer_freezing", "magnitude_pruning"] },
        { "digits-resmlp", ["model_scaling", "init_fixup", "stochastic_depth", "precision", "layer_freezing", "magnitude_pruning"] },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Run_TheFamilyTogether_TrainsFinitelyActsAndLeaksNoTensors(string suite, string[] names)
    {
        IReadOnlyList<ITechnique> techniques = TechniqueRegistry.CreateAll(
            [.. names.Select(n => new TechniqueSpec(n, TechniqueRegistry.Find(n)!.Contract!.Options))]);
        TrainingRequest request = suites.Request(suite, CoreBudget.Steps(12), techniques);
        suites.Get(suite);

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.True(outcome.Status == TrialStatus.NotReached, $"{outcome.Status} {outcome.FailureReason}");
        Assert.True(double.IsFinite(outcome.FinalTrainLoss!.Value));
        Assert.All(names, n => Assert.Contains(outcome.Trace, t => t.Contains($":{n} x", StringComparison.Ordinal)));
        Assert.Equal(before, after);
    }

    [Fact]
    public void All_InitSchemes_ConflictWithEachOtherInBothDirections()
    {
        string[] inits = ["init_zero_last", "init_orthogonal", "init_fixup"];
        foreach (string a in inits)
        {
            foreach (string b in inits.Where(b => b != a))
            {
                Assert.Contains(b, ModelTechniques.All.Single(d => d.Name == a).Conflicts);
            }
        }

        Assert.All(ModelTechniques.All, d => Assert.Equal(TechniqueCategory.Model, d.Category));
    }

    [Fact]
    public void Create_TextOptions_ReachTheTechniques()
    {
        var freezing = (Tuner.Techniques.Model.LayerFreezing.LayerFreezingTechnique)TechniqueRegistry.Create(
            new TechniqueSpec("layer_freezing", new Dictionary<string, string> { ["t0"] = "0.8", ["cubic"] = "1" }));
        var scaling = (Tuner.Techniques.Model.ModelScaling.ModelScalingTechnique)TechniqueRegistry.Create(
            new TechniqueSpec("model_scaling", new Dictionary<string, string> { ["width"] = "2", ["depth"] = "0.5" }));

        Assert.Equal(new Tuner.Techniques.Model.LayerFreezing.LayerFreezingOptions { T0 = 0.8, Cubic = true }, freezing.Options);
        Assert.Equal(new Tuner.Techniques.Model.ModelScaling.ModelScalingOptions { Width = 2, Depth = 0.5 }, scaling.Options);
        Assert.Throws<Tuner.Core.Errors.TunerInputException>(() => TechniqueRegistry.Create(
            new TechniqueSpec("magnitude_pruning", new Dictionary<string, string> { ["start"] = "0.8", ["end"] = "0.2" })));
    }
}
