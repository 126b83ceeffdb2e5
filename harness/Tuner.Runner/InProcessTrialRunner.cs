using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Core.Workloads;
using Tuner.Data;
using Tuner.Suites.Workloads;
using Tuner.Training.Models;
using Tuner.Techniques;
using Tuner.Training.Engine;
using Tuner.Training.Runtime;
using Tuner.Training.Workloads;
using static TorchSharp.torch;

namespace Tuner.Runner;

/// <summary>
/// Runs trials in this process, on the calling thread (TorchSharp dispose scopes are per thread). Every suite is trained
/// through its <see cref="IWorkload"/> (<see cref="Suites.Specs.SuiteSpec.CreateWorkload"/>: a built-in or described
/// suite, or a user's workload from an assembly). Loaded data are checked once (<see cref="WorkloadChecks"/>) and kept
/// for the runner's lifetime, so a search does not re-read the files for every trial.
/// <para>
/// One timing protocol for every command (<c>run</c>, <c>search</c>, <c>recommend</c>, <c>effects</c>, <c>nightly</c> and
/// workers all run trials through this class): before the first trial of each configuration (on each suite, device
/// and thread count) the runner trains that configuration for <see cref="WarmUpSteps"/> steps, unrecorded, so JIT
/// compilation, libtorch's kernel selection and first-touch allocations are never charged to a measured trial, whether
/// it is the first of a process (<c>tuner run</c>) or the thousandth (a search), as BenchmarkDotNet warms up before it measures.
/// </para>
/// </summary>
public sealed class InProcessTrialRunner : ITrialRunner, IDisposable
{
    /// <summary>Steps of the unrecorded warm-up run before a configuration's first measured trial.</summary>
    public const int WarmUpSteps = 20;

    private readonly Dictionary<string, WorkloadData> _data = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warmed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReferenceWorkload> _references = new(StringComparer.Ordinal);

    /// <summary>How long the reference workload is timed at each throughput-window boundary of a paired trial.</summary>
    public const double ProbeSeconds = 0.004;
    private readonly TimeProvider _time;
    private readonly IProgress<string>? _log;

    public InProcessTrialRunner(TimeProvider? time = null, IProgress<string>? log = null)
    {
        _time = time ?? TimeProvider.System;
        _log = log;
    }

    public async Task<TrialRecord> RunAsync(TrialRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (WorkloadData data, Device device) = await ReadyAsync(request, cancellationToken).ConfigureAwait(false);
        TargetSpec target = request.TargetValue is double value ? request.Suite.Target with { Value = value } : request.Suite.Target;
        WarmUp(request, data, device, cancellationToken);

        DateTimeOffset started = _time.GetUtcNow();
        PeakMemory.Reset();
        TrainingRequest trainingRequest = Training(request, data, device) with
        {
            Test = data.Test,
            Target = target,
            StopAtFraction = request.StopAtFraction,
            ShouldStop = request.ShouldStop,
            MemoryLimitBytes = request.Host.MemoryLimitBytes,
            ReferenceProbe = request.PairWithReference ? ReferenceProbe(request, data) : null,
        };
        TrainingOutcome outcome = BudgetedTrainer.Run(trainingRequest, progress, cancellationToken);

        PeakFlops peak = MachinePeak.Get(); // measured in ReadyAsync; cached
        double? flops = TrainedWorkload(request).TrainingFlopsPerSample(data);
        double? rate = outcome.Steps > 0 ? outcome.Throughput ?? outcome.SamplesPerSecond : null;
        double ceiling = request.Configuration.Techniques.Any(t => t.Name == "precision") ? peak.Bf16 : peak.Fp32;
        return new TrialRecord
        {
            RunId = Guid.NewGuid().ToString("N"),
            Suite = request.Suite.Name,
            Configuration = request.Configuration,
            Seed = request.Seed,
            Budget = request.Budget.ToString(),
            Target = target,
            Status = outcome.Status,
            TimeToTargetSeconds = outcome.TimeToTargetSeconds,
            StepsToTarget = outcome.StepsToTarget,
            SamplesToTarget = outcome.SamplesToTarget,
            CensoredAtSeconds = outcome.Status == TrialStatus.Reached ? null : outcome.TrainSeconds,
            BestMetric = outcome.BestMetric,
            FinalMetric = outcome.FinalMetric,
            FinalTrainLoss = outcome.FinalTrainLoss,
            TestMetric = outcome.TestMetric,
            TestLoss = outcome.TestLoss,
            TestRows = outcome.TestRows,
            ValidationRows = outcome.ValidationRows,
            Steps = outcome.Steps,
            Samples = outcome.Samples,
            Epochs = outcome.Epochs,
            TrainSeconds = outcome.TrainSeconds,
            EvalSeconds = outcome.EvalSeconds,
            SamplesPerSecond = outcome.SamplesPerSecond,
            ThroughputSamplesPerSecond = outcome.Throughput,
            ThroughputWindows = outcome.ThroughputWindows,
            PairedThroughput = outcome.PairedThroughput,
            ModelFlopsPerSample = flops,
            AchievedFlopsPerSecond = rate * flops,
            PeakFlopsPerSecond = ceiling,
            Mfu = rate * flops / ceiling,
            PeakRssBytes = PeakMemory.PeakRssBytes(),
            FailureReason = outcome.FailureReason,
            StartedAt = started,
            Curve = outcome.Curve,
            TechniqueTrace = outcome.Trace,
            Environment = TorchRuntime.Describe(device),
        };
    }

    /// <summary>
    /// Warms up <paramref name="request"/>'s configuration (see the class remarks) unless this runner already has; a
    /// worker calls it before it reports that it started, so the host's clock does not count it either.
    /// </summary>
    public async Task WarmUpAsync(TrialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (WorkloadData data, Device device) = await ReadyAsync(request, cancellationToken).ConfigureAwait(false);
        WarmUp(request, data, device, cancellationToken);
    }

    private void WarmUp(TrialRequest request, WorkloadData data, Device device, CancellationToken cancellationToken)
    {
        string key = $"{request.Suite.Name}|{request.Suite.SourcePath}|{device}|{request.Host.Threads}|{request.Configuration}";
        if (!_warmed.Add(key))
        {
            return;
        }

        // Its own technique instances (techniques hold state); a target never reached: all 20 steps run, then one validation.
        TrainingRequest warmUp = Training(request, data, device) with
        {
            Budget = Core.Budgets.Budget.Steps(WarmUpSteps),
            Target = request.Suite.Target.Unreachable,
        };
        _ = BudgetedTrainer.Run(warmUp, null, cancellationToken);
    }

    /// <summary>
    /// The probe that pairs a trial's throughput with the machine's speed: the suite's model architecture in plain
    /// TorchSharp at the configuration's batch size (<see cref="ReferenceWorkload.Matching(ModelSpec, IReadOnlyList{long}, int, int)"/>), timed for about 4 ms at
    /// each window boundary (the median step). Made and warmed up once per runner and shape, before the trial seeds torch.
    /// </summary>
    private Func<double> ReferenceProbe(TrialRequest request, WorkloadData data)
    {
        string key = $"{request.Suite.Name}|{request.Suite.SourcePath}|{request.Suite.ModelDescription}|{string.Join('x', data.Train.SampleShape)}|{data.Train.ClassCount}|{request.Configuration.BatchSize}";
        if (!_references.TryGetValue(key, out ReferenceWorkload? reference))
        {
            reference = request.Suite.CreateWorkload() is SuiteWorkload described
                ? ReferenceWorkload.Matching(described.Model, data.Train.SampleShape, data.Train.ClassCount, request.Configuration.BatchSize)
                : ReferenceWorkload.Matching(request.Suite.CreateWorkload().CreateModel(data), data.Train, request.Configuration.BatchSize);
            _ = reference.MedianStepSecondsFor(0.05);
            _references[key] = reference;
        }

        return () => reference.MedianStepSecondsFor(ProbeSeconds);
    }

    /// <summary>The suite's workload after the configuration's model transforms (what <see cref="Training"/> builds).</summary>
    private static IWorkload TrainedWorkload(TrialRequest request) => TrainedWorkload(request, TechniqueRegistry.CreateAll(request.Configuration.Techniques));

    /// <summary>
    /// The workload with the model <paramref name="techniques"/> rewrite (model_scaling, attention): only a described
    /// model can be rewritten, and techniques that rewrite need <see cref="WorkloadFacts.BuiltInModel"/>, so a workload
    /// from an assembly never gets here with one (refused before training).
    /// </summary>
    private static IWorkload TrainedWorkload(TrialRequest request, IReadOnlyList<ITechnique> techniques)
    {
        IWorkload workload = request.Suite.CreateWorkload();
        IModelTransform[] transforms = [.. techniques.OfType<IModelTransform>()];
        return transforms.Length == 0 ? workload
            : workload is SuiteWorkload described ? described.Transformed(transforms)
            : throw new InvalidOperationException($"suite '{request.Suite.Name}': {transforms.Length} model transform(s) for a workload that builds its own model");
    }

    /// <summary>What every run of <paramref name="request"/> trains: fresh technique instances, the model they transform, the suite's train and validation splits.</summary>
    private TrainingRequest Training(TrialRequest request, WorkloadData data, Device device)
    {
        IReadOnlyList<ITechnique> techniques = TechniqueRegistry.CreateAll(request.Configuration.Techniques);
        IWorkload workload = TrainedWorkload(request, techniques);
        return new TrainingRequest
        {
            ModelFactory = () => workload.CreateModel(data),
            AllowsHorizontalFlip = request.Suite.Facts.HasFlag(WorkloadFacts.MirrorableImages), // augment.horizontal_flip on images, or a workload's fact
            Facts = request.Suite.Facts,
            Train = data.Train,
            Eval = data.Validation,
            Configuration = request.Configuration,
            Budget = request.Budget,
            Target = request.Suite.Target,
            Seed = request.Seed,
            Device = device,
            Techniques = techniques,
            Time = _time,
        };
    }

    /// <summary>
    /// Sets the threads, measures the machine's GEMM ceiling (once per process and thread count, before any warm-up, so
    /// every process - run, search, recommend, nightly, workers - has done the same before its first timed step),
    /// resolves the device, validates the techniques against the suite and loads its data (cached).
    /// </summary>
    private async Task<(WorkloadData Data, Device Device)> ReadyAsync(TrialRequest request, CancellationToken cancellationToken)
    {
        TorchRuntime.SetThreads(request.Host.Threads);
        _ = MachinePeak.Get();
        Device device = TorchRuntime.ResolveDevice(request.Host.Device);
        TechniqueRegistry.Validate(request.Configuration.Techniques, request.Suite.Facts, request.Suite.Name);
        return (await LoadAsync(request, device, cancellationToken).ConfigureAwait(false), device);
    }

    /// <summary>Validates the request (threads, device, techniques) and loads (fetching if needed) the suite's data, before any progress display starts.</summary>
    public async Task PrepareAsync(TrialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = await ReadyAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WorkloadData> LoadAsync(TrialRequest request, Device device, CancellationToken cancellationToken)
    {
        string key = $"{request.Suite.Name}|{request.Suite.SourcePath}|{device}";
        if (_data.TryGetValue(key, out WorkloadData? cached))
        {
            return cached;
        }

        IWorkload workload = request.Suite.CreateWorkload();
        string where = request.Suite.External is null ? $"suite '{request.Suite.Name}'" : $"suite '{request.Suite.Name}', workload {request.Suite.Workload}";
        var context = new WorkloadContext { DataDirectory = DataStore.DefaultRoot(request.Host.DataDirectory), Log = _log };
        WorkloadData loaded;
        try
        {
            loaded = await workload.LoadAsync(context, cancellationToken).ConfigureAwait(false)
                ?? throw new TunerInputException($"{where}: LoadAsync returned null: return the three splits");
        }
        catch (Exception ex) when (request.Suite.External is not null && ex is not (TunerInputException or OperationCanceledException or OutOfMemoryException))
        {
            throw new TunerInputException($"{where}: LoadAsync threw {ExceptionText.Describe(ex)}", ex);
        }

        try
        {
            WorkloadChecks.CheckData(loaded, request.Suite.Facts);
            WorkloadChecks.CheckModel(workload, loaded, CPU);
        }
        catch (ArgumentException ex)
        {
            loaded.Dispose();
            // A built-in model kind that cannot be built says why in its own words; a workload's model names the method too.
            string problem = request.Suite.External is null && ex.InnerException is ArgumentException own ? own.Message : ex.Message;
            throw new TunerInputException($"{where}: {(request.Suite.External is null ? $"model {request.Suite.ModelDescription}: " : string.Empty)}{problem.Split(" (Parameter", 2)[0]}", ex);
        }

        if (device.type != TorchSharp.DeviceType.CPU)
        {
            var moved = new WorkloadData(loaded.Train.To(device), loaded.Validation.To(device), loaded.Test.To(device));
            loaded.Dispose();
            loaded = moved;
        }

        _data[key] = loaded;
        return loaded;
    }

    public void Dispose()
    {
        foreach (WorkloadData data in _data.Values)
        {
            data.Dispose();
        }

        _data.Clear();
        foreach (ReferenceWorkload reference in _references.Values)
        {
            reference.Dispose();
        }

        _references.Clear();
    }
}
