using Tuner.Techniques.Budget.BudgetLinearDecay;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Budget.BudgetLinearDecay;

public sealed class BudgetLinearDecayTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private static Dictionary<long, double> LearningRateAtEachStep(TrainingRequest request)
    {
        var seen = new Dictionary<long, double>();
        var probe = new ProbeTechnique("probe", TrainingEvent.BeforeOptimizerStep, (_, s) => seen[s.Step] = s.LearningRate);
        BudgetedTrainer.Run(request with { Techniques = [.. request.Techniques, probe] }, null, CancellationToken.None);
        return seen;
    }

    [Fact]
    public void Apply_StepBudget_LearningRateAtTheMiddleIsHalfTheBase()
    {
        Dictionary<long, double> lr = LearningRateAtEachStep(digits.Request(CoreBudget.Steps(100), techniques: new BudgetLinearDecayTechnique(0)));

        Assert.Equal(100, lr.Count);
        Assert.Equal(digits.BaseLearningRate, lr[0], 12);
        Assert.Equal(digits.BaseLearningRate * 0.5, lr[50], 12);
        Assert.Equal(digits.BaseLearningRate * 0.01, lr[99], 12);
        Assert.All(lr, kv => Assert.Equal(digits.BaseLearningRate * (1 - (kv.Key / 100.0)), kv.Value, 12));
    }

    [Fact]
    public void Apply_MinFactor_FloorsTheRate()
    {
        Dictionary<long, double> lr = LearningRateAtEachStep(digits.Request(CoreBudget.Steps(40), techniques: new BudgetLinearDecayTechnique(0.25)));

        Assert.Equal(digits.BaseLearningRate * 0.5, lr[20], 12);
        Assert.Equal(digits.BaseLearningRate * 0.25, lr[30], 12);
        Assert.Equal(digits.BaseLearningRate * 0.25, lr[39], 12);
    }

    [Fact]
    public void Apply_WallClockBudget_FollowsChargedSecondsNotSteps()
    {
        // Each batch is charged 2 s; a 40 s budget is half spent after 10 batches.
        var time = new ManualTimeProvider();
        var clock = new ProbeTechnique("clock", TrainingEvent.BatchEnd, (_, _) => time.Advance(TimeSpan.FromSeconds(2)));
        TrainingRequest request = digits.Request(CoreBudget.Seconds(40), techniques: [clock, new BudgetLinearDecayTechnique(0)]) with { Time = time };

        Dictionary<long, double> lr = LearningRateAtEachStep(request);

        Assert.Equal(20, lr.Count);
        Assert.Equal(digits.BaseLearningRate * 0.5, lr[10], 9);
        Assert.Equal(digits.BaseLearningRate * 0.05, lr[19], 9);
    }

    [Fact]
    public void Apply_EpochBudget_DecaysWithTheFractionOfEpochsSeen()
    {
        long batches = (digits.Data.Train.Count + digits.Suite.Baseline.BatchSize - 1) / digits.Suite.Baseline.BatchSize;

        Dictionary<long, double> lr = LearningRateAtEachStep(digits.Request(CoreBudget.Epochs(2), techniques: new BudgetLinearDecayTechnique(0)));

        Assert.Equal(2 * batches, lr.Count);
        Assert.Equal(digits.BaseLearningRate * 0.5, lr[batches], 9); // first batch of the second epoch
    }
}
