using Tuner.Core.Trials;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Model;

/// <summary>Helpers shared by the model-technique tests.</summary>
internal static class ModelTestSupport
{
    /// <summary>A float32 copy of a tensor's values in logical (row-major) order, whatever its dtype and layout.</summary>
    public static float[] Floats(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    /// <summary>Trains on the named suite for <paramref name="steps"/> steps with the given techniques (and probes).</summary>
    public static TrainingOutcome Run(SuiteDataCache suites, string suite, int steps, params ITechnique[] techniques)
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request(suite, CoreBudget.Steps(steps), techniques), null, CancellationToken.None);
        Assert.True(outcome.Status == TrialStatus.NotReached, $"{outcome.Status} {outcome.FailureReason}");
        return outcome;
    }

    /// <summary>Runs the techniques expecting the run to fail; returns the failure reason.</summary>
    public static string RunExpectingFailure(SuiteDataCache suites, string suite, params ITechnique[] techniques)
    {
        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request(suite, CoreBudget.Steps(2), techniques), null, CancellationToken.None);
        Assert.Equal(TrialStatus.Failed, outcome.Status);
        return outcome.FailureReason ?? string.Empty;
    }

    /// <summary>A probe that records every parameter's values at one event.</summary>
    public static ProbeTechnique ParameterSnapshot(string name, TrainingEvent trainingEvent, List<float[][]> into) =>
        new(name, trainingEvent, (_, s) => into.Add([.. s.Model.parameters().Select(p => Floats(p))]));
}
