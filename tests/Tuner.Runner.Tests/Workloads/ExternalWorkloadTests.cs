using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Runner.Processes;
using Tuner.Suites.Specs;

namespace Tuner.Runner.Tests.Workloads;

/// <summary>
/// A workload from an assembly (tests/Tuner.TestWorkloads) trained by the runners every command uses: in this
/// process and in a worker process (which reads the suite file and loads the assembly itself), with the same record;
/// techniques that rewrite a built-in model are refused; a model or data that do not fit are one line before training.
/// </summary>
public sealed class ExternalWorkloadTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tuner-workload-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private TrialRequest Request(string type = "RingsWorkload", TrainingConfiguration? configuration = null, long seed = 1)
    {
        SuiteSpec suite = SuiteCatalog.Resolve(TestWorkloads.WriteSuite(_dir, type: type, name: type));
        return new TrialRequest
        {
            Suite = suite,
            Configuration = configuration ?? suite.Baseline,
            Budget = Budget.Steps(400),
            Seed = seed,
            Host = new TrialHost { Device = "cpu", Threads = 1 },
        };
    }

    [Fact]
    public async Task InProcess_TrainsTheWorkloadsModelToItsTarget_WithModelFlopsFromTheWorkload()
    {
        using var runner = new InProcessTrialRunner();
        TrialRecord record = await runner.RunAsync(Request(), null, CancellationToken.None);

        Assert.Equal(TrialStatus.Reached, record.Status);
        Assert.Equal("RingsWorkload", record.Suite);
        Assert.True(record.BestMetric >= 0.9, $"best {record.BestMetric}");
        Assert.NotNull(record.TestMetric);
        Assert.Equal(4.0 * 2 * 32 + 6.0 * 32 * 32 + 6.0 * 32 * 3, record.ModelFlopsPerSample);
        Assert.True(record.Mfu > 0);
    }

    [Fact]
    public async Task WorkerProcess_LoadsTheAssemblyItselfAndRecordsTheSameTrainingAsInProcess()
    {
        TrialRequest request = Request(seed: 3);
        using var inProcess = new InProcessTrialRunner();
        TrialRecord here = await inProcess.RunAsync(request, null, CancellationToken.None);
        int workerPid = 0;
        var worker = new ProcessTrialRunner(new ProcessTrialRunnerOptions { WorkerStarted = pid => workerPid = pid });
        TrialRecord there = await worker.RunAsync(request, null, CancellationToken.None);

        Assert.Equal(TrialStatus.Reached, there.Status);
        Assert.NotEqual(0, workerPid);
        Assert.NotEqual(Environment.ProcessId, workerPid);
        Assert.Equal((here.StepsToTarget, here.BestMetric, here.TestMetric), (there.StepsToTarget, there.BestMetric, there.TestMetric));
    }

    [Fact]
    public async Task PairedThroughput_UsesTheWorkloadsOwnModelAsTheReference()
    {
        using var runner = new InProcessTrialRunner();
        TrialRecord record = await runner.RunAsync(Request() with { PairWithReference = true, TargetValue = 1.01, Budget = Budget.Seconds(0.5) }, null, CancellationToken.None);

        Assert.NotNull(record.PairedThroughput);
        Assert.True(record.PairedThroughput > 0);
    }

    [Theory]
    [InlineData("model_scaling", "a model of a built-in kind")]
    [InlineData("attention", "a model of a built-in kind")]
    [InlineData("augment", "image inputs")]
    public async Task TechniquesNeedingWhatTheWorkloadLacks_AreRefusedBeforeTraining(string technique, string needs)
    {
        TrialRequest request = Request();
        request = request with { Configuration = request.Configuration with { Techniques = [TechniqueSpec.Of(technique)] } };
        using var runner = new InProcessTrialRunner();

        var ex = await Assert.ThrowsAsync<TunerInputException>(() => runner.PrepareAsync(request, CancellationToken.None));

        OneLineAssert.Message(ex, technique, needs);
    }

    [Fact]
    public async Task ModelWhoseOutputDoesNotFitTheLabels_IsOneLineBeforeTraining()
    {
        using var runner = new InProcessTrialRunner();
        var ex = await Assert.ThrowsAsync<TunerInputException>(() => runner.PrepareAsync(Request("WrongOutputWorkload"), CancellationToken.None));

        OneLineAssert.Message(ex, "suite 'WrongOutputWorkload', workload Tuner.TestWorkloads.WrongOutputWorkload (Tuner.TestWorkloads.dll)",
            "the model returns [2, 5] for 2 validation samples, but their labels are [2] over 3 classes: a classifier returns logits [batch, 3] for labels [batch]");
    }

    [Fact]
    public async Task FactTheDataDoNotHave_IsOneLineBeforeTraining()
    {
        using var runner = new InProcessTrialRunner();
        var ex = await Assert.ThrowsAsync<TunerInputException>(() => runner.PrepareAsync(Request("FalseImagesWorkload"), CancellationToken.None));

        OneLineAssert.Message(ex, "declares Images but its samples are [2]", "drop the fact");
    }
}
