using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Tuner.Techniques.Systems.Prefetch;

/// <summary>
/// A background thread that gathers the rest of an epoch's batches ahead of training, at most <c>depth</c> batches
/// ahead. TorchSharp counts tensors per thread, so every tensor this thread makes is also disposed on it: the trainer
/// takes a batch with <see cref="Next"/>, makes its own aliases, and hands the batch back with <see cref="Retire"/>; the
/// thread disposes retired batches as it goes and everything left when <see cref="Dispose"/> stops it.
/// </summary>
internal sealed class PrefetchWorker : IDisposable
{
    /// <summary>
    /// How long the thread waits for the trainer to take a batch, or to be stopped, before it gives up: a run that
    /// failed never reaches FitEnd, and its worker must not wait forever. The trainer then gathers synchronously.
    /// </summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(10);

    private readonly Lock _retiring = new();
    private readonly BlockingCollection<PreparedBatch> _ready;
    private readonly ConcurrentQueue<PreparedBatch> _retired = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly IEnumerable<long[]> _batches;
    private readonly Func<Tensor, (Tensor Inputs, Tensor Targets)> _loader;
    private readonly Device _device;
    private readonly Thread _thread;
    private volatile Exception? _failure;
    private bool _exited;

    public PrefetchWorker(IEnumerable<long[]> batches, int depth, Func<Tensor, (Tensor Inputs, Tensor Targets)> loader, Device device)
    {
        _batches = batches;
        _loader = loader;
        _device = device;
        _ready = new BlockingCollection<PreparedBatch>(depth);
        _thread = new Thread(Run) { IsBackground = true, Name = "tuner-prefetch" };
        _thread.Start();
    }

    /// <summary>Why the thread stopped gathering early, if it failed.</summary>
    public Exception? Failure => _failure;

    /// <summary>The next prepared batch, waiting for it if needed; null when the thread has no more (the epoch's end, or a failure).</summary>
    public PreparedBatch? Next() => _ready.TryTake(out PreparedBatch? batch, Timeout.Infinite) ? batch : null;

    /// <summary>Hands a batch taken with <see cref="Next"/> back to the thread, which disposes it (or disposes it here if the thread gave up).</summary>
    public void Retire(PreparedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_retiring)
        {
            if (!_exited)
            {
                _retired.Enqueue(batch);
                return;
            }
        }

        batch.Dispose();
    }

    /// <summary>Stops the thread and waits for it to dispose everything it made.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _ready.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        try
        {
            foreach (long[] rows in _batches)
            {
                DisposeRetired();
                PreparedBatch batch = Gather(rows);
                bool added = false;
                try
                {
                    added = _ready.TryAdd(batch, (int)IdleLimit.TotalMilliseconds, _stop.Token);
                }
                finally
                {
                    if (!added)
                    {
                        batch.Dispose();
                    }
                }

                if (!added)
                {
                    break; // nobody took a batch for IdleLimit: give up
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // stopped before the end of the epoch
        }
#pragma warning disable CA1031 // The failure is handed to the training thread, which rethrows it at the next batch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failure = ex;
        }
        finally
        {
            _ready.CompleteAdding();
        }

        // Batches handed out may still come back: dispose them here, on the thread that made them, once told to stop.
        _stop.Token.WaitHandle.WaitOne(IdleLimit);
        while (_ready.TryTake(out PreparedBatch? left))
        {
            left.Dispose();
        }

        lock (_retiring)
        {
            DisposeRetired();
            _exited = true;
        }
    }

    private PreparedBatch Gather(long[] rows)
    {
        using Tensor cpuIndices = tensor(rows);
        Tensor indices = _device.type == DeviceType.CPU ? cpuIndices : cpuIndices.to(_device);
        try
        {
            (Tensor inputs, Tensor targets) = _loader(indices);
            return new PreparedBatch(rows, inputs, targets, Environment.CurrentManagedThreadId);
        }
        finally
        {
            if (!ReferenceEquals(indices, cpuIndices))
            {
                indices.Dispose();
            }
        }
    }

    private void DisposeRetired()
    {
        while (_retired.TryDequeue(out PreparedBatch? batch))
        {
            batch.Dispose();
        }
    }
}
