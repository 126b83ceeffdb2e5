using Tuner.Core.Workloads;
using Tuner.Training.Data;
using Tuner.Training.Workloads;
using static TorchSharp.torch;

namespace Tuner.TestWorkloads;

/// <summary>
/// Three concentric rings in the plane (radii 1, 2 and 3 plus Gaussian noise), one class each, made from a fixed seed:
/// 60% train, 20% validation, 20% test; a 2-h-h-3 SiLU network. Options: points (per class, default 200), hidden
/// (default 32), noise (default 0.25).
/// </summary>
public sealed class RingsWorkload : IWorkload
{
    private readonly int _points;
    private readonly int _hidden;
    private readonly double _noise;

    public RingsWorkload(WorkloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.OnlyKnown("points", "hidden", "noise");
        _points = options.Whole("points", 200);
        _hidden = options.Whole("hidden", 32);
        _noise = options.Number("noise", 0.25);
        if (_points < 10)
        {
            throw options.Error($"option 'points' must be at least 10, got {_points}");
        }
    }

    public WorkloadFacts Facts => WorkloadFacts.RealInputs;

    public string ModelDescription => $"rings mlp(2-{_hidden}-{_hidden}-3, silu)";

    public Task<WorkloadData> LoadAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var random = new Random(11);
        int n = 3 * _points;
        var rows = new (float X, float Y, long Label)[n];
        for (int i = 0; i < n; i++)
        {
            int label = i % 3;
            double angle = random.NextDouble() * 2 * Math.PI;
            double radius = label + 1 + _noise * Gaussian(random);
            rows[i] = ((float)(radius * Math.Cos(angle)), (float)(radius * Math.Sin(angle)), label);
        }

        int train = n * 3 / 5, validation = n / 5;
        return Task.FromResult(new WorkloadData(Split(rows, 0, train), Split(rows, train, validation), Split(rows, train + validation, n - train - validation)));
    }

    public nn.Module<Tensor, Tensor> CreateModel(WorkloadData data) => nn.Sequential(
        ("in", nn.Linear(2, _hidden)), ("act1", nn.SiLU()), ("mid", nn.Linear(_hidden, _hidden)), ("act2", nn.SiLU()), ("out", nn.Linear(_hidden, 3)));

    public double? TrainingFlopsPerSample(WorkloadData data) => 4.0 * 2 * _hidden + 6.0 * _hidden * _hidden + 6.0 * _hidden * 3;

    private static TensorDataset Split((float X, float Y, long Label)[] rows, int start, int count)
    {
        float[] features = [.. rows.Skip(start).Take(count).SelectMany(r => new[] { r.X, r.Y })];
        long[] labels = [.. rows.Skip(start).Take(count).Select(r => r.Label)];
        return new TensorDataset(tensor(features, [count, 2]), tensor(labels, [count]), 3);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
