using TorchSharp;
using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques;

/// <summary>
/// The common shape of a mechanism probe: it watches one technique's run, counts what it saw, and remembers the first
/// contradiction. Probes keep managed copies (float arrays), never tensors, so they leak nothing into the run.
/// </summary>
/// <typeparam name="T">The technique watched.</typeparam>
public abstract class TechniqueProbe<T> : ITechniqueProbe
    where T : class, ITechnique
{
    protected TechniqueProbe(ITechnique technique) =>
        Technique = technique as T ?? throw new ArgumentException($"a {typeof(T).Name} probe watches a {typeof(T).Name}, not {technique?.GetType().Name}", nameof(technique));

    protected T Technique { get; }

    /// <summary>How many times the mechanism was seen acting as expected.</summary>
    protected int Seen { get; set; }

    /// <summary>The first contradiction seen, if any.</summary>
    protected string? Contradiction { get; private set; }

    public void Observe(TrainingEvent trainingEvent, ObservationPoint point, ITechnique? technique, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Contradiction is not null)
        {
            return;
        }

        using DisposeScope scope = NewDisposeScope();
        using (no_grad())
        {
            Watch(trainingEvent, point, ReferenceEquals(technique, Technique), state);
        }
    }

    /// <summary>Called at every observation point; <paramref name="mine"/> is true around the watched technique's own hooks.</summary>
    protected abstract void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state);

    /// <summary>What the probe needs to have seen, when nothing contradicted it (e.g. "at least one mixed batch").</summary>
    protected abstract string? Missing(TrainingOutcome outcome);

    public string? Verdict(TrainingOutcome outcome) => Contradiction ?? Missing(outcome);

    /// <summary>Records a contradiction (the first one wins).</summary>
    protected void Fail(string message) => Contradiction ??= $"{Technique.Name}: {message}";

    /// <summary>Checks a condition; a false one is a contradiction.</summary>
    protected bool Expect(bool condition, string message)
    {
        if (!condition)
        {
            Fail(message);
        }

        return condition;
    }
}

/// <summary>Managed copies and comparisons for probes.</summary>
public static class ProbeValues
{
    /// <summary>The values of <paramref name="tensor"/> as float32, on the CPU, in a managed array.</summary>
    public static float[] Of(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using DisposeScope scope = NewDisposeScope();
        return tensor.detach().to(CPU).to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    /// <summary>Every parameter of <paramref name="model"/>, in order.</summary>
    public static float[][] Parameters(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.parameters().Select(Of)];
    }

    /// <summary>Largest absolute difference between two arrays of equal length (infinity when the lengths differ).</summary>
    public static double MaxDifference(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            return double.PositiveInfinity;
        }

        double max = 0;
        for (int i = 0; i < a.Count; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }

    /// <summary>Largest absolute difference over all tensors of two snapshots.</summary>
    public static double MaxDifference(float[][] a, float[][] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Length != b.Length ? double.PositiveInfinity : a.Zip(b).Select(p => MaxDifference(p.First, p.Second)).DefaultIfEmpty(0).Max();
    }

    /// <summary>Largest absolute value over a snapshot.</summary>
    public static double MaxAbs(float[][] a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.SelectMany(x => x).Select(v => (double)Math.Abs(v)).DefaultIfEmpty(0).Max();
    }
}
