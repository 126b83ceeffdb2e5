using System.Diagnostics;
using TorchSharp;
using Tuner.Training.Models;
using static TorchSharp.torch;

namespace Tuner.Training.Runtime;

/// <summary>
/// A fixed training workload written in plain TorchSharp, independent of the engine, the optimizer catalog and the
/// techniques: SGD (momentum 0.9) steps of a model on one random batch. A change in Tuner's training code does not move
/// its step time; a busier or slower machine does. Two kinds:
/// <list type="bullet">
/// <item><see cref="Standard"/>: an MLP 784-256-10 on a batch of 128 (the machine speed every nightly trial records).</item>
/// <item><see cref="Matching(ModelSpec, IReadOnlyList{long}, int, int)"/>: the suite's own model architecture at the trial's batch size, so its mix of small and
/// large operations is the trial's and a busier machine slows both alike; a trial's throughput is paired with it
/// (<see cref="Engine.TrainingRequest.ReferenceProbe"/>). Its model comes from <see cref="ModelFactory"/>, so a
/// slowdown inside a model's own definition cancels out of the paired throughput (the engine micro-benchmarks cover it).</item>
/// </list>
/// The weights are initialised from the global generator when it is made (before a trial seeds torch), its data from
/// its own generator, and its steps draw no random numbers, so it can be timed between a trial's steps without moving
/// the trial's random stream. Uses the calling thread's torch settings.
/// </summary>
public sealed class ReferenceWorkload : IDisposable
{
    // Model, optimizer and data live outside any dispose scope (as in the engine): a scope would also own the
    // parameters and the optimizer's state and free them under the optimizer. Each step has its own scope.
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _x;
    private readonly Tensor _y;

    private ReferenceWorkload(nn.Module<Tensor, Tensor> model, long[] sampleShape, int classes, int batch)
    {
        using var generator = new Generator(7);
        _model = model;
        _model.train();
        _optimizer = optim.SGD(_model.parameters(), 0.01, momentum: 0.9);
        _x = rand([batch, .. sampleShape], generator: generator);
        _y = randint(0, classes, [batch], generator: generator);
    }

    private ReferenceWorkload(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        _model = model;
        _model.train();
        _optimizer = optim.SGD(_model.parameters(), 0.01, momentum: 0.9);
        _x = x;
        _y = y;
    }

    /// <summary>The machine-speed workload: MLP 784-256-10, batch 128 (about 1.6 ms a step on the reference machine).</summary>
    public static ReferenceWorkload Standard()
    {
        using var generator = new Generator(7);
        var first = nn.Linear(784, 256);
        var second = nn.Linear(256, 10);
        using (no_grad())
        {
            foreach (Tensor p in first.parameters().Concat(second.parameters()))
            {
                p.uniform_(-0.05, 0.05, generator);
            }
        }

        return new ReferenceWorkload(nn.Sequential(("in", first), ("act", nn.ReLU()), ("out", second)), [784], 10, 128);
    }

    /// <summary>The suite's model architecture (<paramref name="model"/>, without technique transforms) on random inputs of <paramref name="sampleShape"/> at <paramref name="batch"/>.</summary>
    public static ReferenceWorkload Matching(ModelSpec model, IReadOnlyList<long> sampleShape, int classes, int batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (model.ReadsTokens)
        {
            // Random token ids, and a label per position for a language model.
            using var generator = new Generator(7);
            nn.Module<Tensor, Tensor> transformer = ModelFactory.Create(model, sampleShape, classes);
            Tensor x = randint(0, model.Vocabulary, [batch, .. sampleShape], generator: generator);
            Tensor y = model.Kind == "transformer" ? randint(0, classes, [batch, .. sampleShape], generator: generator) : randint(0, classes, [batch], generator: generator);
            return new ReferenceWorkload(transformer, x, y);
        }

        return new ReferenceWorkload(ModelFactory.Create(model, sampleShape, classes), [.. sampleShape], classes, batch);
    }

    /// <summary>
    /// A workload's own model (<paramref name="model"/>, which this takes over) on the first <paramref name="batch"/> rows
    /// of <paramref name="train"/> (repeated when it has fewer): the reference for a model Tuner cannot describe.
    /// </summary>
    public static ReferenceWorkload Matching(nn.Module<Tensor, Tensor> model, Data.TensorDataset train, int batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        using var scope = NewDisposeScope();
        Tensor rows = arange(batch, ScalarType.Int64).remainder(train.Count);
        Tensor x = train.Gather(rows).DetachFromDisposeScope();
        Tensor y = train.Labels.index_select(0, rows).DetachFromDisposeScope();
        return new ReferenceWorkload(model, x, y);
    }

    /// <summary>One training step; its wall-clock seconds.</summary>
    public double Step()
    {
        long started = Stopwatch.GetTimestamp();
        using (DisposeScope step = NewDisposeScope())
        {
            Tensor loss = Engine.TrainingState.CrossEntropyMean(_model.call(_x), _y);
            _optimizer.zero_grad();
            loss.backward();
            _optimizer.step();
            _ = loss.ToSingle();
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>The median seconds per step of <paramref name="steps"/> timed steps after <paramref name="warmUp"/> untimed ones.</summary>
    public double MedianStepSeconds(int steps, int warmUp = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        for (int i = 0; i < warmUp; i++)
        {
            Step();
        }

        var times = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            times[i] = Step();
        }

        return Median(times);
    }

    /// <summary>The median seconds per step of as many steps as fit in <paramref name="seconds"/> (at least 3): a probe of about that length whatever the model's size.</summary>
    public double MedianStepSecondsFor(double seconds)
    {
        var times = new List<double>();
        long until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        while (times.Count < 3 || Stopwatch.GetTimestamp() < until)
        {
            times.Add(Step());
        }

        return Median([.. times]);
    }

    private static double Median(double[] times)
    {
        Array.Sort(times);
        int n = times.Length;
        return n % 2 == 1 ? times[n / 2] : (times[(n / 2) - 1] + times[n / 2]) / 2;
    }

    public void Dispose()
    {
        _x.Dispose();
        _y.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}
