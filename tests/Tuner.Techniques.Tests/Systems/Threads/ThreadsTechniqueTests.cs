using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Techniques.Systems.Threads;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Systems.Threads;

public sealed class ThreadsTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Run_ThreeThreads_TrainsWithThreeAndRestoresThePreviousCount()
    {
        int previous = get_num_threads();
        int requested = previous == 3 ? 2 : 3;
        var seen = new List<int>();
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeOptimizerStep, (_, _) => seen.Add(get_num_threads()));

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(3), techniques: [new ThreadsTechnique(requested), probe]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal([requested, requested, requested], seen);
        Assert.Equal(previous, get_num_threads());
    }

    [Fact]
    public void Registry_NoOptions_UsesEveryProcessor()
    {
        Assert.Equal(Environment.ProcessorCount, Assert.IsType<ThreadsTechnique>(TechniqueRegistry.Create(TechniqueSpec.Of("threads"))).Count);
    }
}
