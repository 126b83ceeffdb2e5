using Tuner.Core.Trials;
using Tuner.Techniques.Optimization.LabelSmoothing;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.LabelSmoothing;

public sealed class LabelSmoothingTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    private const double Alpha = 0.3;

    private sealed record Observation(TrainingEvent Event, long Step, bool IsPrevious, double Loss, double Smoothed, double Plain);

    [Fact]
    public void Apply_DuringTraining_SwapsTheLossAtBeforeLossAndRestoresThePreviousOneAtAfterLoss()
    {
        LossFunction previous = (o, t) => nn.functional.cross_entropy(o, t);
        var observations = new List<Observation>();
        var setup = new ProbeTechnique("setup", TrainingEvent.FitStart, (_, s) => s.LossFunction = previous);
        var probe = new ProbeTechnique(
            "probe",
            (e, _) => e is TrainingEvent.BeforeLoss or TrainingEvent.BeforeBackward,
            (e, s) =>
            {
                using var scope = NewDisposeScope();
                double loss = e == TrainingEvent.BeforeLoss ? s.LossFunction(s.Outputs!, s.Targets!).item<float>() : s.Loss!.item<float>();
                double smoothed = LabelSmoothingMath.Loss(s.Outputs!, s.Targets!, Alpha).item<float>();
                double plain = nn.functional.cross_entropy(s.Outputs!, s.Targets!).item<float>();
                observations.Add(new Observation(e, s.Step, ReferenceEquals(s.LossFunction, previous), loss, smoothed, plain));
            });

        TrainingOutcome outcome = BudgetedTrainer.Run(
            digits.Request(CoreBudget.Steps(3), techniques: [setup, new LabelSmoothingTechnique(Alpha), probe]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(6, observations.Count);
        foreach (Observation o in observations.Where(o => o.Event == TrainingEvent.BeforeLoss))
        {
            Assert.False(o.IsPrevious, $"step {o.Step}: label smoothing must replace the loss at BeforeLoss");
            Assert.Equal(o.Smoothed, o.Loss, 5);
        }

        foreach (Observation o in observations.Where(o => o.Event == TrainingEvent.BeforeBackward))
        {
            Assert.True(o.IsPrevious, $"step {o.Step}: the previous loss function must be back after AfterLoss");
            Assert.Equal(o.Smoothed, o.Loss, 5); // the batch's loss was computed with smoothing
            Assert.True(Math.Abs(o.Loss - o.Plain) > 1e-4, $"step {o.Step}: smoothed {o.Loss} vs plain {o.Plain} should differ");
        }
    }

    [Fact]
    public void Apply_WithoutAPreviousBeforeLoss_LeavesTheLossFunctionAlone()
    {
        var technique = new LabelSmoothingTechnique(Alpha);
        LossFunction? seen = null;
        var probe = new ProbeTechnique("probe", TrainingEvent.FitStart, (_, s) =>
        {
            technique.Apply(TrainingEvent.AfterLoss, s); // nothing saved yet: must not touch the loss
            seen = s.LossFunction;
        });

        BudgetedTrainer.Run(digits.Request(CoreBudget.Steps(1), techniques: probe), null, CancellationToken.None);

        Assert.Same(TrainingState.CrossEntropy, seen);
    }

    [Fact]
    public void Run_WithLabelSmoothing_TracesBothEventsOncePerBatch()
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(
            digits.Request(CoreBudget.Steps(4), techniques: new LabelSmoothingTechnique(0.1)), null, CancellationToken.None);

        Assert.Contains("BeforeLoss:label_smoothing x4", outcome.Trace);
        Assert.Contains("AfterLoss:label_smoothing x4", outcome.Trace);
    }
}
