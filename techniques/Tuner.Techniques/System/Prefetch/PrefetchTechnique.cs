using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Systems.Prefetch;

/// <summary>
/// Background data prefetching (as PyTorch DataLoader workers and FFCV do): at EpochStart the batch loader is replaced
/// by one that, from the epoch's first batch on, has a background thread (<see cref="PrefetchWorker"/>) run the
/// previous loader on the next batches of <see cref="TrainingState.EpochIndices"/> while the current one trains, at
/// most <see cref="Depth"/> batches ahead. Each batch handed to the trainer is checked to hold exactly the rows asked
/// for; if not, the worker is stopped and the rest of the epoch is gathered synchronously. The worker stops at the next
/// EpochStart and at FitEnd, where the previous loader is put back (or on Dispose, for a run that failed before FitEnd). The loader it wraps must be safe to call from
/// another thread (the default one is: it only reads the dataset). On CPU the worker competes with training for cores,
/// so it helps most when gathering is slow relative to a step.
/// </summary>
public sealed class PrefetchTechnique(int depth) : ITechnique, IDisposable
{
    public const string TechniqueName = "prefetch";
    private readonly HashSet<int> _gatheringThreads = [];
    private Func<Tensor, (Tensor Inputs, Tensor Targets)>? _inner;
    private Func<Tensor, (Tensor Inputs, Tensor Targets)>? _loader;
    private TrainingState? _state;
    private PrefetchWorker? _worker;
    private bool _startPending;

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.System,
        Folder = "Prefetch",
        Summary = "Gathers the next batches on a background thread while the current one trains (bounded queue); batches are checked to be exactly the ones asked for.",
        Paper = "Paszke et al., PyTorch: An Imperative Style, High-Performance Deep Learning Library (DataLoader workers), NeurIPS 2019; Leclerc et al., FFCV, CVPR 2023",
        Options = [Tuner.Core.Options.OptionSpec.Whole("depth", 2, 1, 64, "batches prepared ahead")],
        Order = 350,
        Create = o => new PrefetchTechnique(o.Whole("depth")),
        ProbeSummary = "batches are gathered on another thread and each one the model trains on holds exactly the rows asked for",
        Probe = t => new PrefetchProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.System;

    /// <summary>Most batches prepared ahead.</summary>
    public int Depth { get; } = depth;

    /// <summary>Batches delivered from the background thread.</summary>
    public long PrefetchedBatches { get; private set; }

    /// <summary>Batches gathered on the training thread (each epoch's first, and any after a mismatch).</summary>
    public long SynchronousBatches { get; private set; }

    /// <summary>Managed ids of the threads that gathered the delivered batches.</summary>
    public IReadOnlyCollection<int> GatheringThreads => _gatheringThreads;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) =>
        trainingEvent == TrainingEvent.EpochStart || (trainingEvent == TrainingEvent.FitEnd && _loader is not null);

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        StopWorker();
        if (trainingEvent == TrainingEvent.EpochStart)
        {
            _loader ??= Load;
            if (!ReferenceEquals(state.BatchLoader, _loader))
            {
                _inner = state.BatchLoader;
                state.BatchLoader = _loader;
            }

            _state = state;
            _startPending = true;
        }
        else
        {
            if (ReferenceEquals(state.BatchLoader, _loader) && _inner is not null)
            {
                state.BatchLoader = _inner;
            }

            _inner = null;
            _loader = null;
            _state = null;
            _startPending = false;
        }
    }

    /// <summary>Stops the background thread if a run ended without FitEnd (a failed trial).</summary>
    public void Dispose() => StopWorker();

    private (Tensor Inputs, Tensor Targets) Load(Tensor indices)
    {
        if (_startPending)
        {
            _startPending = false;
            StartWorker(indices);
            return Synchronous(indices);
        }

        if (_worker is null)
        {
            return Synchronous(indices);
        }

        PreparedBatch? batch = _worker.Next();
        if (batch is null)
        {
            Exception? failure = _worker.Failure;
            StopWorker();
            return failure is null
                ? Synchronous(indices)
                : throw new InvalidOperationException($"prefetch: the background loader failed: {failure.Message}", failure);
        }

        if (!PrefetchMath.SameRows(batch.Indices, Rows(indices)))
        {
            _worker.Retire(batch);
            StopWorker();
            return Synchronous(indices);
        }

        // Aliases made on this thread belong to the batch's dispose scope; the worker disposes its own handles.
        (Tensor Inputs, Tensor Targets) result = (batch.Inputs.alias(), batch.Targets.alias());
        _gatheringThreads.Add(batch.ThreadId);
        _worker.Retire(batch);
        PrefetchedBatches++;
        return result;
    }

    private void StartWorker(Tensor indices)
    {
        TrainingState state = _state!;
        if (state.EpochIndices is not { } order || _inner is null)
        {
            return;
        }

        long[] rows = Rows(order);
        long[] requested = Rows(indices);
        int batchSize = Math.Max(1, state.BatchSize);
        long first = (long)state.BatchInEpoch * batchSize;
        if (first + requested.LongLength > rows.LongLength || !PrefetchMath.SameRows(rows.AsSpan((int)first, requested.Length), requested))
        {
            return; // not the engine's usual cut of this epoch: stay synchronous
        }

        _worker = new PrefetchWorker(PrefetchMath.Batches(rows, first + requested.LongLength, batchSize), Depth, _inner, order.device);
    }

    private (Tensor Inputs, Tensor Targets) Synchronous(Tensor indices)
    {
        SynchronousBatches++;
        _gatheringThreads.Add(Environment.CurrentManagedThreadId);
        return _inner!(indices);
    }

    private void StopWorker()
    {
        _worker?.Dispose();
        _worker = null;
    }

    private static long[] Rows(Tensor indices)
    {
        using var scope = NewDisposeScope();
        return indices.cpu().data<long>().ToArray();
    }
}
