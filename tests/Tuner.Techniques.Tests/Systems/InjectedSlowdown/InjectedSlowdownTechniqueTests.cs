using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Techniques.Systems.InjectedSlowdown;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Systems.InjectedSlowdown;

/// <summary>
/// The nightly's injected slowdown, an internal technique: the same training takes real extra time on the charged
/// clock, its probe sees every batch slowed, and users can neither name it nor find it in the library's list.
/// </summary>
public sealed class InjectedSlowdownTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Run_FactorFour_SameTrainingTakesRealExtraTimeOnTheChargedClock()
    {
        TrainingRequest request = digits.Request(CoreBudget.Steps(60), target: 1.0);
        BudgetedTrainer.Run(request, null, CancellationToken.None); // warm-up
        TrainingOutcome normal = BudgetedTrainer.Run(request, null, CancellationToken.None);
        var slowdown = new InjectedSlowdownTechnique(4.0);
        ITechniqueProbe probe = TechniqueRegistry.Find(InjectedSlowdownTechnique.TechniqueName)!.Probe(slowdown);
        TrainingOutcome slowed = BudgetedTrainer.Run(request with { Techniques = [slowdown], Observers = [probe] }, null, CancellationToken.None);

        Assert.Equal(normal.Curve.Select(p => (p.Step, p.Metric)), slowed.Curve.Select(p => (p.Step, p.Metric)));
        Assert.Equal(60, slowdown.Slowed);
        Assert.Null(probe.Verdict(slowed));
        // Each batch is followed by a busy wait of 3x its own duration: the charged time is at least 4x the batches' time.
        // Asserting only 2x keeps this robust on a shared machine.
        Assert.True(slowed.TrainSeconds > 2 * normal.TrainSeconds, $"slowed {slowed.TrainSeconds:0.000} s vs normal {normal.TrainSeconds:0.000} s");
    }

    [Fact]
    public void Registry_CreatesIt_ButUsersCannotNameItAndTheLibraryListDoesNotHaveIt()
    {
        var spec = new TechniqueSpec(InjectedSlowdownTechnique.TechniqueName, new SortedDictionary<string, string>(StringComparer.Ordinal) { ["factor"] = "3" });

        Assert.Equal(3.0, Assert.IsType<InjectedSlowdownTechnique>(TechniqueRegistry.CreateAll([spec])[0]).Factor);
        Assert.DoesNotContain(TechniqueRegistry.All, d => d.Name == InjectedSlowdownTechnique.TechniqueName);
        Assert.True(TechniqueRegistry.Find(InjectedSlowdownTechnique.TechniqueName)!.Internal);
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Parse("injected_slowdown:factor=3"));
        OneLineAssert.Message(ex, "unknown technique 'injected_slowdown'");
    }
}
