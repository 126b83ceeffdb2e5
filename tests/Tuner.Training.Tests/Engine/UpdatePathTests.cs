using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Training.Tests.Engine;

/// <summary>The engine's one update path: the chosen optimizer steps once per batch at the rate the factors give; the loss chain composes in order; observers see every event.</summary>
public sealed class UpdatePathTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    public static TheoryData<string> Optimizers() => [.. OptimizerCatalog.Names];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Run_EachOptimizer_StepsExactlyOncePerBatchAndMovesTheWeights(string optimizer)
    {
        var moved = new List<bool>();
        float[]? before = null;
        var watch = new RecordingTechnique("watch", (e, _) => e is TrainingEvent.BeforeOptimizerStep or TrainingEvent.AfterOptimizerStep, (e, s) =>
        {
            float[] now = s.Model.parameters().First().detach().cpu().data<float>().ToArray();
            if (e == TrainingEvent.BeforeOptimizerStep)
            {
                before = now;
            }
            else
            {
                moved.Add(!now.SequenceEqual(before!));
            }
        });
        TrainingConfiguration configuration = ConfigurationOverrides.Apply(digits.Suite.Baseline, [$"optimizer={optimizer}", optimizer == "lars" ? "lr=2" : "lr=0.01"]);

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Steps(25), target: 1.0, configuration: configuration, techniques: watch), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(25, outcome.OptimizerSteps);
        Assert.Equal(25, moved.Count);
        Assert.All(moved, Assert.True);
        Assert.True(outcome.Curve[^1].Metric > 0.3, $"{optimizer} did not learn: {outcome.Curve[^1].Metric}");
    }

    [Fact]
    public void Run_RateFactors_MultiplyIntoTheRateTheOptimizerStepsWith()
    {
        var halve = new Factor("halve", _ => 0.5);
        var ramp = new Factor("ramp", s => (s.Step + 1) / 10.0);
        var seen = new List<(double Rate, double Stepped, IReadOnlyList<(string, double)> Factors)>();
        var watch = new RecordingTechnique("watch", (e, _) => e == TrainingEvent.AfterOptimizerStep, (_, s) => seen.Add((s.LearningRate, s.OptimizerLearningRate, s.LearningRateFactors)));

        TrainingOutcome outcome = BudgetedTrainer.Run(digits.Request(Budget.Steps(5), target: 1.0, techniques: [halve, ramp, watch]), null, CancellationToken.None);

        Assert.Equal(5, seen.Count);
        for (int i = 0; i < 5; i++)
        {
            double expected = digits.Suite.Baseline.LearningRate * 0.5 * ((i + 1) / 10.0);
            Assert.Equal(expected, seen[i].Rate, 15);
            Assert.Equal(expected, seen[i].Stepped, 15);
            Assert.Equal(["halve", "ramp"], seen[i].Factors.Select(f => f.Item1));
        }

        Assert.Contains("LearningRate:halve x5", outcome.Trace);
    }

    [Fact]
    public void Run_LossWrappers_ComposeInTheirListedOrderInnermostFirst()
    {
        var calls = new List<string>();
        var inner = new Wrapper("inner", (loss, o, t) => { calls.Add("inner"); return loss(o, t).mul(2); });
        var outer = new Wrapper("outer", (loss, o, t) => { calls.Add("outer"); return loss(o, t).add(1); });
        var seen = new List<(double Loss, double Expected, IReadOnlyList<string> Chain)>();
        var watch = new RecordingTechnique("watch", (e, _) => e == TrainingEvent.AfterLoss, (_, s) =>
            seen.Add((s.Loss!.item<float>(), nn.functional.cross_entropy(s.Outputs!, s.Targets!).item<float>() * 2 + 1, s.LossChain)));

        BudgetedTrainer.Run(digits.Request(Budget.Steps(3), target: 1.0, techniques: [inner, outer, watch]), null, CancellationToken.None);

        Assert.Equal(3, seen.Count);
        Assert.All(seen, s => Assert.Equal(s.Expected, s.Loss, 4)); // (2 * ce) + 1, not 2 * (ce + 1)
        Assert.All(seen, s => Assert.Equal(["inner", "outer"], s.Chain));
        Assert.Equal(["outer", "inner", "outer", "inner", "outer", "inner"], calls); // the outer wrapper calls the inner one
    }

    [Fact]
    public void Run_Observer_SeesEveryEventAroundEachTechniqueAndChangesNothing()
    {
        var log = new List<string>();
        var technique = new RecordingTechnique("t", (e, _) => e == TrainingEvent.BeforeForward);
        var observer = new Observer((e, p, t) => log.Add($"{e}:{p}:{t?.Name ?? "-"}"));

        TrainingOutcome watched = BudgetedTrainer.Run(digits.Request(Budget.Steps(2), target: 1.0, techniques: technique) with { Observers = [observer] }, null, CancellationToken.None);
        TrainingOutcome plain = BudgetedTrainer.Run(digits.Request(Budget.Steps(2), target: 1.0, techniques: new RecordingTechnique("t", (e, _) => e == TrainingEvent.BeforeForward)), null, CancellationToken.None);

        Assert.Equal(["BeforeForward:EventStart:-", "BeforeForward:BeforeTechnique:t", "BeforeForward:AfterTechnique:t", "BeforeForward:EventEnd:-"], log.Where(l => l.StartsWith("BeforeForward:", StringComparison.Ordinal)).Take(4));
        Assert.Equal(2, log.Count(l => l == "AfterOptimizerStep:EventStart:-"));
        Assert.Contains("FitEnd:EventEnd:-", log);
        Assert.Equal(plain.Curve.Select(p => (p.Metric, p.TrainLoss)), watched.Curve.Select(p => (p.Metric, p.TrainLoss)));
    }

    private sealed class Factor(string name, Func<TrainingState, double> factor) : ITechnique, ILearningRateFactor
    {
        public string Name { get; } = name;

        public TechniqueCategory Category => TechniqueCategory.Optimization;

        public bool Matches(TrainingEvent trainingEvent, TrainingState state) => false;

        public void Apply(TrainingEvent trainingEvent, TrainingState state)
        {
        }

        public double LearningRateFactor(TrainingState state) => factor(state);
    }

    private sealed class Wrapper(string name, Func<SampleLoss, Tensor, Tensor, Tensor> wrap) : ITechnique, ILossWrapper
    {
        public string Name { get; } = name;

        public TechniqueCategory Category => TechniqueCategory.Optimization;

        public bool Matches(TrainingEvent trainingEvent, TrainingState state) => false;

        public void Apply(TrainingEvent trainingEvent, TrainingState state)
        {
        }

        public SampleLoss WrapLoss(SampleLoss inner, TrainingState state) => (o, t) => wrap(inner, o, t);
    }

    private sealed class Observer(Action<TrainingEvent, ObservationPoint, ITechnique?> observe) : ITrainingObserver
    {
        public void Observe(TrainingEvent trainingEvent, ObservationPoint point, ITechnique? technique, TrainingState state) => observe(trainingEvent, point, technique);
    }
}
